package org.ofsep.mwl.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Each run ends with a sync of what was written to the file since the last one ({@link H2Sync#syncIfWritten}):
 * the commits of orders, the runs' own rewrites, a CLI command through the gateway's H2 server.
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

    private final H2File file;
    /** Syncs what was written; null for {@link #manual}. */
    private final H2Sync sync;
    private final ScheduledExecutorService scheduler;
    private volatile String lastFailure;
    private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong passNanos = new java.util.concurrent.atomic.AtomicLong();

    /** Told when a run fails (the store's recovery starts when the store itself failed); never null. */
    private volatile java.util.function.Consumer<Throwable> onFailure = e -> { };

    private H2Compaction(H2File file, H2Sync sync) {
        this.file = file;
        this.sync = sync;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-compaction");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the maintenance of {@code file}, the runs ending with {@code sync}'s sync of what was written. */
    static H2Compaction start(H2File file, H2Sync sync) {
        H2Compaction compaction = new H2Compaction(file, sync);
        compaction.scheduler.scheduleWithFixedDelay(compaction::runQuietly, EVERY.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return compaction;
    }

    /** Maintenance of {@code store} that only runs when asked ({@link #runOnce}); for tests. */
    static H2Compaction manual(MVStore store) {
        H2Compaction compaction = new H2Compaction(H2File.fixed(store), null);
        compaction.scheduler.shutdown();
        return compaction;
    }

    /**
     * One pass: rewrites the live pages of the least live old chunks, at most {@link #REWRITE_BYTES}, and stores
     * them. Returns whether anything was rewritten.
     */
    boolean runOnce() {
        MVStore store = file.current();
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
        MVStore store = file.current();
        if (store == null) {
            return null;
        }
        return new H2FileStats(store.getFileStore().size(), store.getFillRate(),
                store.getFileStore().getChunksFillRate(), passes.get(), passNanos.get() / 1e9,
                sync == null ? 0 : sync.syncs(), sync == null ? 0 : sync.syncSeconds());
    }

    /** A run of the task: the passes, then the sync, each whatever became of the other. */
    private void runQuietly() {
        quietly(this::run);
        if (sync != null) {
            // a sync that fails is said and kept by H2Sync (the store's health) and tried again at the next run
            quietly(() -> {
                try {
                    sync.syncIfWritten();
                } catch (StoreException e) {
                    // already said
                }
            });
        }
    }

    private void quietly(Runnable work) {
        try {
            work.run();
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
            // H2 closes the store after a failed write of its own (a full disk): the store's recovery is started
            // here, not left to the next order's write (with none arriving, /health stayed DOWN without a reason and
            // the consoles got C000 long after space was back)
            onFailure.accept(e);
        }
    }

    void onFailure(java.util.function.Consumer<Throwable> listener) {
        this.onFailure = listener == null ? e -> { } : listener;
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
