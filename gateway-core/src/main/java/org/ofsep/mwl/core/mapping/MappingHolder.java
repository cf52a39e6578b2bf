package org.ofsep.mwl.core.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the mapping in force and hot-reloads it. The file is loaded at construction (an invalid file throws
 * {@link MappingException}: the gateway must not start on a bad mapping), then polled by a daemon thread.
 * Polling compares the file's bytes rather than its modification time, so that edits within the same
 * second, or atomic renames by editors, are never missed. A valid edit replaces the snapshot for new orders;
 * an invalid one is refused and logged at WARN, the last good snapshot keeps running, and the errors stay
 * visible through {@link #lastErrors()} for the health endpoint until a good edit arrives.
 *
 * <p>The watcher only loads a file that has settled: the same bytes on two polls in a row. An editor or a copy
 * that writes the file in place may be read half-written, and a truncated mapping can be valid YAML that passes
 * validation (a station list cut short); a file still changing is read again at the next poll instead.
 * {@link #checkNow()} (an explicit reload) loads at once.
 */
public final class MappingHolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MappingHolder.class);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** The mapping file's name in a config directory ({@code --config DIR}). */
    public static final String DEFAULT_FILE_NAME = "mapping.yaml";

    private final Path file;
    private final Clock clock;
    private final ScheduledExecutorService watcher;
    private final List<Consumer<MappingSnapshot>> listeners = new CopyOnWriteArrayList<>();

    private volatile MappingSnapshot current;
    private volatile Instant lastGoodLoad;
    private volatile Instant lastAttempt;
    private volatile List<MappingError> lastErrors = List.of();
    private byte[] lastSeenBytes;
    /** What the watcher read at its last poll when it differed from {@link #lastSeenBytes}: settling. */
    private byte[] settling;

    /** Loads {@code file} and watches it every second. */
    public MappingHolder(Path file) {
        this(file, DEFAULT_POLL_INTERVAL, Clock.systemUTC());
    }

    /**
     * Loads {@code file} and watches it every {@code pollInterval}; {@link Duration#ZERO} disables watching
     * (reload only through {@link #checkNow()}).
     *
     * @throws MappingException when the file is invalid at start
     */
    public MappingHolder(Path file, Duration pollInterval, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] bytes = read();
        this.lastAttempt = clock.instant();
        this.current = MappingLoader.parse(bytes, file.toString());
        this.lastSeenBytes = bytes;
        this.lastGoodLoad = lastAttempt;
        LOG.info("Mapping loaded from {} ({} stations)", file, current.stations().size());
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            this.watcher = null;
        } else {
            this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mapping-watcher");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(10, pollInterval.toMillis());
            watcher.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Validates a mapping file without loading it into a holder (CLI {@code gateway validate}). */
    public static List<MappingError> validate(Path file) {
        return MappingLoader.validate(file);
    }

    /** The last good mapping; take it once per order or query and use it throughout. */
    public MappingSnapshot current() {
        return current;
    }

    public Path file() {
        return file;
    }

    /** The errors of the last load attempt; empty when the last attempt succeeded. */
    public List<MappingError> lastErrors() {
        return lastErrors;
    }

    /** The errors of the last attempt as one message, or null when the last attempt succeeded. */
    public String lastError() {
        List<MappingError> e = lastErrors;
        return e.isEmpty() ? null : e.stream().map(MappingError::toString).collect(Collectors.joining("\n"));
    }

    /** When the mapping in force was loaded. */
    public Instant lastGoodLoad() {
        return lastGoodLoad;
    }

    /** When the file was last read for a (re)load, good or not. */
    public Instant lastAttempt() {
        return lastAttempt;
    }

    /** Called on the watcher thread after each successful reload with the new snapshot. */
    public void addListener(Consumer<MappingSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Reloads now if the file changed since the last attempt.
     *
     * @return true when a new snapshot is in force
     */
    public synchronized boolean checkNow() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (lastSeenBytes != null) {
                refuse(List.of(new MappingError(file.toString(), 0, "", "cannot read the mapping file: " + e)));
                lastSeenBytes = null;
            }
            return false;
        }
        return load(bytes);
    }

    /** Loads these bytes of the file unless they are the ones last seen; true when a new snapshot is in force. */
    private boolean load(byte[] bytes) {
        if (Arrays.equals(bytes, lastSeenBytes)) {
            return false;
        }
        lastSeenBytes = bytes;
        MappingSnapshot next;
        try {
            next = MappingLoader.parse(bytes, file.toString());
        } catch (MappingException e) {
            refuse(e.errors());
            return false;
        }
        Instant now = clock.instant();
        current = next;
        lastErrors = List.of();
        lastAttempt = now;
        lastGoodLoad = now;
        LOG.info("Mapping reloaded from {} ({} stations)", file, next.stations().size());
        for (Consumer<MappingSnapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("Mapping listener failed", e);
            }
        }
        return true;
    }

    private void refuse(List<MappingError> errors) {
        lastErrors = List.copyOf(errors);
        lastAttempt = clock.instant();
        LOG.warn("Mapping edit refused, the previous mapping (loaded {}) stays in force:\n  {}", lastGoodLoad,
                errors.stream().map(MappingError::toString).collect(Collectors.joining("\n  ")));
    }

    /**
     * One poll of the watcher: a changed file is loaded once it reads the same on two polls in a row.
     *
     * @return true when a new snapshot is in force
     */
    synchronized boolean poll() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            settling = null;
            return checkNow(); // unreadable: reported as such at once
        }
        if (Arrays.equals(bytes, lastSeenBytes)) {
            settling = null;
            return false;
        }
        if (!Arrays.equals(bytes, settling)) {
            settling = bytes; // changed since the last poll: maybe still being written
            return false;
        }
        settling = null;
        return load(bytes); // what was read twice, not a third read that may catch the next write
    }

    private void checkQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // never let the watcher die: the next poll tries again
            LOG.warn("Mapping check failed", e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MappingException(List.of(new MappingError(file.toString(), 0, "",
                    "cannot read the mapping file: " + e)));
        }
    }

    /** Stops watching; the current snapshot stays readable. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
