package org.ofsep.mwl.app;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Properties;

/**
 * One serving gateway per data directory: {@code serve} holds an OS lock on {@code <data>/gateway.serve.lock}
 * while it runs and writes there who it is (process, ports). A second gateway on the same directory is refused
 * at start, before it touches the store (the embedded store itself is shared with the CLI commands, H2's mixed
 * mode); {@code gateway doctor} reads it to tell the ports this gateway holds from ports another program took.
 */
final class ServeLock implements AutoCloseable {
    static final String FILE = "gateway.serve.lock";

    /**
     * What the serving gateway wrote; {@code instance} is its instance name in the store's claims and leases
     * (null when written by an older version).
     */
    record Holder(long pid, Instant started, int hl7Port, int dicomPort, int httpPort, String instance, String task) {
        boolean holds(int port) {
            return port > 0 && (port == hl7Port || port == dicomPort || port == httpPort);
        }

        /** The command that holds the directory, as its user types it: "gateway serve", "gateway compact". */
        String command() {
            return "gateway " + (task == null ? "serve" : task);
        }
    }

    /**
     * The lock files this process holds, with what it wrote. POSIX record locks belong to the process and are
     * dropped when the process closes any descriptor of the file: while it holds one, this process never opens
     * that file again (a second gateway in the same JVM, a doctor run in-process), it answers from here.
     */
    private static final Map<Path, Holder> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder me;
    private final Holder previous;

    private ServeLock(Path file, FileChannel channel, FileLock lock, Holder me, Holder previous) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.me = me;
        this.previous = previous;
    }

    /** Takes the lock of {@code dataDir}, or fails saying which gateway serves it. */
    static ServeLock acquire(Path dataDir, GatewayConfig config) throws IOException {
        return acquire(dataDir, config, null);
    }

    /**
     * Takes the lock of {@code dataDir} for the gateway instance named {@code instance}, or fails saying which
     * gateway serves it. What the previous holder wrote is kept ({@link #previous()}): that gateway is gone, since
     * its lock was free (a stop, or a crash: the system drops a dead process's locks).
     */
    static ServeLock acquire(Path dataDir, GatewayConfig config, String instance) throws IOException {
        return acquire(dataDir, config.hl7.port, config.dicom.port, config.http.port, instance, null);
    }

    /**
     * Takes the lock of {@code dataDir} for a command that needs the store to itself ({@code task}, e.g.
     * "compact"): no gateway may serve it meanwhile, and no other command may use the store. The instance name the
     * previous gateway wrote is kept, so that the next gateway still takes over what that one left.
     */
    static ServeLock acquireForTask(Path dataDir, String task) throws IOException {
        return acquire(dataDir, 0, 0, 0, null, task);
    }

    private static ServeLock acquire(Path dataDir, int hl7Port, int dicomPort, int httpPort, String instance,
                                     String task) throws IOException {
        DataDirectory.ensure(dataDir);
        Path file = dataDir.resolve(FILE).toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(file)) {
                throw servedBy(dataDir, Optional.of(HELD.get(file)));
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close(); // this process held no lock on it: closing drops nothing
                throw servedBy(dataDir, holder(file));
            }
            Holder previous = null;
            try {
                long size = channel.size();
                if (size > 0 && size < 64 * 1024) {
                    ByteBuffer buf = ByteBuffer.allocate((int) size);
                    while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
                        // read it all
                    }
                    previous = parse(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII))
                            .orElse(null);
                }
            } catch (IOException e) {
                previous = null; // unreadable: nothing is known of the previous holder
            }
            if (task != null && previous != null) {
                instance = previous.instance(); // what the next gateway takes over is the last gateway's
            }
            Holder me = new Holder(ProcessHandle.current().pid(), Instant.now(), hl7Port, dicomPort, httpPort,
                    instance, task);
            String text = "pid=" + me.pid() + "\nstarted=" + me.started() + "\nhl7Port=" + me.hl7Port()
                    + "\ndicomPort=" + me.dicomPort() + "\nhttpPort=" + me.httpPort() + "\n"
                    + (instance == null ? "" : "instance=" + instance + "\n")
                    + (task == null ? "" : "task=" + task + "\n");
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            HELD.put(file, me);
            return new ServeLock(file, channel, lock, me, previous);
        }
    }

    private static IllegalStateException servedBy(Path dataDir, Optional<Holder> holder) {
        if (holder.isPresent() && holder.get().task() != null) {
            return new IllegalStateException("'" + holder.get().command() + "' (process " + holder.get().pid()
                    + ", started " + holder.get().started() + ") has the data directory " + dataDir.toAbsolutePath()
                    + " to itself: try again when it has ended");
        }
        return new IllegalStateException("another gateway serves the data directory " + dataDir.toAbsolutePath()
                + holder.map(h -> " (process " + h.pid() + ", started " + h.started() + ", HL7 " + h.hl7Port()
                        + ", DICOM " + h.dicomPort() + ", HTTP " + h.httpPort() + ")").orElse("")
                + ": stop it first, or give this one its own --data directory");
    }

    /** The gateway serving {@code dataDir} now, if one does (its lock is held). */
    static Optional<Holder> serving(Path dataDir) {
        Path file = dataDir.resolve(FILE).toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(file)) {
                return Optional.of(HELD.get(file));
            }
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                probe = null; // held by this very process
            }
            if (probe != null) {
                probe.release();
                return Optional.empty(); // a file left by a stopped gateway
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return holder(file);
    }

    /** Reads what the holder wrote; only ever called when this process does not hold the lock itself. */
    private static Optional<Holder> holder(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Holder> parse(String text) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(text));
            String instance = p.getProperty("instance");
            String task = p.getProperty("task");
            return Optional.of(new Holder(Long.parseLong(p.getProperty("pid", "0")),
                    Instant.parse(p.getProperty("started", Instant.EPOCH.toString())),
                    Integer.parseInt(p.getProperty("hl7Port", "0")), Integer.parseInt(p.getProperty("dicomPort", "0")),
                    Integer.parseInt(p.getProperty("httpPort", "0")),
                    instance == null || instance.isBlank() ? null : instance.trim(),
                    task == null || task.isBlank() ? null : task.trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This gateway, as written to the lock file. */
    Holder holder() {
        return me;
    }

    /**
     * The gateway that served this data directory before this one, as it wrote itself to the lock file, if any:
     * it is gone (stopped or dead), since this one got the lock.
     */
    Optional<Holder> previous() {
        return Optional.ofNullable(previous);
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            try {
                lock.release();
            } finally {
                channel.close();
                HELD.remove(file);
            }
        }
    }
}
