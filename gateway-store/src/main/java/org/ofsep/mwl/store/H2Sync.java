package org.ofsep.mwl.store;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts what was written to the embedded H2 file on the disk, at the end of each run of the file's maintenance
 * (every {@link H2Compaction#EVERY}).
 *
 * <p>H2 writes each commit to its file before the commit returns ({@code WRITE_DELAY=0}), so a killed gateway loses
 * nothing it acknowledged, but it leaves the bytes in the operating system's cache, which Linux writes out after up
 * to about 30 seconds: a power loss or an OS crash could lose the orders of that time. Synced at every run, what a
 * power loss can lose is the commits of the last run's interval and of the sync in progress. Syncing once a second
 * instead flushed five times more at once and lengthened the ACKs around it (an ACK p99 of 27.9 ms at 200 orders/s
 * in one run of three, about 10 ms in the others). Syncing each commit before its ACK (a group commit: the commits
 * that finish during a sync share the next) was measured and not kept: it took the ACK's p99 at 200 orders/s from
 * about 9 ms to 134 to 153 ms on the development machine (docs/benchmarks.md, "Syncing the H2 file to the disk").
 * PostgreSQL syncs its WAL at each commit: use it where no acknowledged order may be lost to a power loss.
 *
 * <p>H2 counts its file writes ({@code getWriteCount}), each once written: a sync covers the writes counted before
 * it starts, and there is nothing to do when none was counted since.
 */
final class H2Sync {

    private static final Logger log = LoggerFactory.getLogger(H2Sync.class);

    private final H2File file;
    /** The store the last sync was of, and H2's count of its file writes that sync covered (guarded by this). */
    private MVStore syncedStore;
    private long syncedWrites;
    private volatile String failure;
    private volatile Instant failingSince;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong syncNanos = new AtomicLong();

    H2Sync(H2File file) {
        this.file = file;
    }

    /**
     * Syncs the file if anything was written to it since the last sync (or since a sync that failed). Throws
     * {@link StoreException} when the sync fails: what was written may not be on the disk; the failure is kept
     * ({@link #failure}) until a sync succeeds.
     */
    synchronized void syncIfWritten() {
        MVStore store = file.current();
        if (store == null) {
            return; // closed by H2 after a failed write, not open again yet
        }
        long writes = store.getFileStore().getWriteCount(); // every write counted here is written
        if (store == syncedStore && writes <= syncedWrites) {
            return;
        }
        long start = System.nanoTime();
        try {
            store.sync();
        } catch (RuntimeException e) {
            String why = "the database file could not be synced to the disk: " + e.getMessage();
            if (failure == null) {
                failingSince = Instant.now();
                log.error("{}. Orders acknowledged since may be lost to a power loss or an OS crash; the sync is tried "
                        + "again at every run of the file's maintenance and /health says DOWN meanwhile", why);
            }
            failure = why;
            throw new StoreException(why, e);
        }
        syncNanos.addAndGet(System.nanoTime() - start);
        syncs.incrementAndGet();
        syncedStore = store;
        syncedWrites = writes;
        if (failure != null) {
            log.info("The database file is synced to the disk again (syncs failed since {})", failingSince);
            failure = null;
            failingSince = null;
        }
    }

    /** Why the last sync failed, or null when it succeeded (a failing disk: /health says DOWN). */
    String failure() {
        return failure;
    }

    /** Since when syncs fail, or null. */
    Instant failingSince() {
        return failingSince;
    }

    /** Syncs done since the start. */
    long syncs() {
        return syncs.get();
    }

    /** Their time, in seconds. */
    double syncSeconds() {
        return syncNanos.get() / 1e9;
    }
}
