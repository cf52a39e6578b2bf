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
     * A file the gateway is about to write patient data into, created private (0640) when it does not exist yet; an
     * existing path keeps its mode (the admin's choice, and never a device or a file the gateway does not own:
     * {@code --out /dev/null} made /dev/null 0640). The JSON export was written 0644 under the usual umask.
     */
    static void createPrivate(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            // the write follows the link: a dangling one makes its target, private too (it was 0644)
            file = file.resolveSibling(Files.readSymbolicLink(file));
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
                Files.setPosixFilePermissions(file, FILE_MODE); // the umask may have taken some away
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile: left as it is
            }
        } else {
            Files.createFile(file);
        }
    }

    /**
     * The files the worklist export wrote ({@code names}, regular files in {@code dir}, never through a link) made
     * 0640, and {@code dir} itself 0750 when it is a directory and no link; nothing else in it is touched (the
     * whole tree was made private, a script losing its execute bit and a link's target outside changed).
     */
    static void restrictWritten(Path dir, java.util.Collection<Path> names) throws IOException {
        if (!dir.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(dir, MODE);
        }
        for (Path f : names) {
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(f, FILE_MODE);
            }
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
