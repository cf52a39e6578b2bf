package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds patient data, the users' password hashes and the audit trail: created without access for
 * others (0750), whatever the umask of whoever starts the gateway (the systemd unit sets its own; a manual run or
 * {@code scripts/run.sh} got 0755 and a world-readable store file). One that exists and is open to others is left as
 * it is, with a WARN saying so.
 */
final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-x---");
    /** The directories already named in a WARN (the serve lock, the store's check and the start all ensure it). */
    private static final Set<Path> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private DataDirectory() {
    }

    /** Files holding patient data outside the data directory (exports): read and write for the owner, read for the group. */
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");

    /**
     * An export's file or directory tree made private as the data directory is (files 0640, directories 0750): the
     * JSON export and the .wl files hold names, IDs and birth dates, and were written 0644 under the usual umask.
     * Nothing on a file system without POSIX permissions.
     */
    static void restrict(Path path) throws IOException {
        if (!path.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        if (Files.isDirectory(path)) {
            try (var all = Files.walk(path)) {
                for (Path p : all.toList()) {
                    Files.setPosixFilePermissions(p, Files.isDirectory(p) ? MODE : FILE_MODE);
                }
            }
        } else if (Files.exists(path)) {
            Files.setPosixFilePermissions(path, FILE_MODE);
        }
    }

    /** Creates {@code dir} (and its parents) when missing; says when an existing one is open to others. */
    static void ensure(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        boolean posix = abs.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(abs)) {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try {
                if (posix) {
                    Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(MODE));
                    Files.setPosixFilePermissions(abs, MODE); // the umask may have taken some away: exactly 0750
                } else {
                    Files.createDirectory(abs);
                }
                return;
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile (a command beside the gateway): checked below
            }
        }
        if (posix) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(abs);
            if ((p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || p.contains(PosixFilePermission.OTHERS_WRITE)) && WARNED.add(abs.normalize())) {
                LOG.warn("The data directory {} is open to other users ({}): it holds patient data and the users' "
                        + "password hashes; 'chmod o-rwx' it (the packaged service creates it 0750)", abs,
                        PosixFilePermissions.toString(p));
            }
        }
    }
}
