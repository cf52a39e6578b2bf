package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the embedded H2 file back the space of its old versions while the gateway runs, as H2's own background
 * writer would.
 *
 * <p>H2 appends every commit to its file as a new chunk: the B-tree pages the transaction changed and their
 * parents. With {@code WRITE_DELAY=0} (an order is in the file before its ACK, {@link DatabaseSettings#h2}) H2 runs
 * no background thread, and the background thread is what rewrites the few live pages of old chunks so that the
 * chunks die and their space is used again. Without it every chunk that still holds one live page (a leaf of an
 * index no later order touches) stays in the file for good: measured, the file grew by about 50 KB per order and
 * never shrank (a 10,000-order benchmark ended with a 508 MB file; docs/benchmarks.md, "H2's file grew by every
 * commit"), and the list of chunks H2 rewrites at each commit grew with it.
 *
 * <p>This task does that maintenance: every {@link #EVERY} it asks H2 to rewrite up to {@link #REWRITE_BYTES} of
 * live pages from chunks that are less than {@link #TARGET_FILL_PERCENT} % live and stores them as one chunk, pass
 * after pass within {@link #BUDGET}. H2 only rewrites chunks older than its retention time (45 s) and frees a dead
 * chunk 45 s later, so a crash or power loss still finds the older versions it may need; new chunks are then
 * written in the freed space. Each pass holds H2's store lock, as a commit does; its bounded size keeps that short.
 * The file does not get shorter: H2's compaction at close, which would move the live chunks together and cut it,
 * is off because it lost committed rows ({@link DatabaseSettings#H2_NO_COMPACTION_AT_CLOSE}).
 */
final class H2Compaction implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

    static final Duration EVERY = Duration.ofMillis(200);
    /** Chunks less live than this are rewritten (H2's own default for its background writer is 90). */
    static final int TARGET_FILL_PERCENT = 80;
    /**
     * Live bytes one pass rewrites at most (about 40 of a busy intake's chunks, each about 5 % live): a pass holds
     * H2's store lock, which the commits of orders wait for, for a few milliseconds at most.
     */
    static final int REWRITE_BYTES = 128 * 1024;
    /** Time the passes of one run may take at most: a fifth of a core while there is work, none when there is not. */
    static final Duration BUDGET = Duration.ofMillis(40);

    /** Where a store that H2 closed (a failed write) is opened again; null for {@link #manual}. */
    private final DataSource dataSource;
    private volatile MVStore store;
    private final ScheduledExecutorService scheduler;
    private volatile String lastFailure;
    private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong passNanos = new java.util.concurrent.atomic.AtomicLong();

    private H2Compaction(MVStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-compaction");
            t.setDaemon(true);
            return t;
        });
    }

    /** The H2 file store behind an embedded H2 data source, or empty (H2 over TCP, PostgreSQL, in-memory). */
    static Optional<MVStore> fileStore(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                return Optional.empty();
            }
            Session session = c.unwrap(JdbcConnection.class).getSession();
            if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
                return Optional.empty();
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? Optional.empty() : Optional.of(store);
        } catch (SQLException e) {
            throw new StoreException("cannot reach the H2 file store: " + e.getMessage(), e);
        }
    }

    /** Starts the maintenance of the file behind {@code ds}; empty when it is not an embedded H2 file. */
    static Optional<H2Compaction> start(DataSource ds) {
        return fileStore(ds).map(store -> {
            H2Compaction compaction = new H2Compaction(store, ds);
            compaction.scheduler.scheduleWithFixedDelay(compaction::runQuietly, EVERY.toMillis(), EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            return compaction;
        });
    }

    /** Maintenance of {@code store} that only runs when asked ({@link #runOnce}); for tests. */
    static H2Compaction manual(MVStore store) {
        H2Compaction compaction = new H2Compaction(store, null);
        compaction.scheduler.shutdown();
        return compaction;
    }

    /**
     * One pass: rewrites the live pages of the least live old chunks, at most {@link #REWRITE_BYTES}, and stores
     * them. Returns whether anything was rewritten.
     */
    boolean runOnce() {
        MVStore store = current();
        if (store == null) {
            return false;
        }
        long start = System.nanoTime();
        boolean rewritten = store.compact(TARGET_FILL_PERCENT, REWRITE_BYTES);
        if (rewritten && !store.isClosed() && store.hasUnsavedChanges()) {
            store.commit();
        }
        if (rewritten) {
            passes.incrementAndGet();
            passNanos.addAndGet(System.nanoTime() - start);
        }
        return rewritten;
    }

    /** Passes until nothing is left to rewrite or the run's {@link #BUDGET} is spent. */
    void run() {
        long end = System.nanoTime() + BUDGET.toNanos();
        while (runOnce() && System.nanoTime() < end) {
            // next pass
        }
    }

    /** The file now: its size, how much of it chunks use and how live they are, and the work done since the start. */
    H2FileStats stats() {
        MVStore store = current();
        if (store == null) {
            return null;
        }
        return new H2FileStats(store.getFileStore().size(), store.getFillRate(),
                store.getFileStore().getChunksFillRate(), passes.get(), passNanos.get() / 1e9);
    }

    /**
     * The open store: after H2 closed the database itself (a write failed: a full disk, an I/O error), the
     * gateway's recovery opens it again with new connections ({@code Database.recover}) as a new store, which the
     * maintenance follows. Null while there is none.
     */
    private MVStore current() {
        MVStore s = store;
        if (s != null && !s.isClosed()) {
            return s;
        }
        if (dataSource == null) {
            return null;
        }
        try {
            s = fileStore(dataSource).orElse(null);
        } catch (RuntimeException e) {
            return null; // still down: the recovery reports it, the next run looks again
        }
        store = s;
        return s == null || s.isClosed() ? null : s;
    }

    private void runQuietly() {
        try {
            run();
            lastFailure = null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // anything thrown out of a scheduled run would cancel every later run: the maintenance would stop for
            // good (an assertion of H2's, with -ea, when H2 closed the store in the middle of a pass). A full disk or
            // a closed store shows on the next write of an order too (Database.writeFailure); say it once here
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!message.equals(lastFailure)) {
                log.warn("H2 file maintenance failed (it is tried again): {}", message);
                lastFailure = message;
            }
        }
    }

    /** Stops the task, waiting for a pass in progress (the store is closed after this). */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("H2 file maintenance still running after 10 s; closing the store anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
