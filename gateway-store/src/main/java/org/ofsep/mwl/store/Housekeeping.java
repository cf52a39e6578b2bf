package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.core.store.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database small and the worklist current: closes steps never started long after their time,
 * deletes finished steps and MPPS after a delay, trims the HL7 message log and delivered outbound events.
 * Scheduled on every instance, it only does the work on the one holding the "housekeeping" lease.
 */
public final class Housekeeping implements AutoCloseable {

    public static final String LEASE_NAME = "housekeeping";
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    /** Counts of one run. */
    public record Report(int staleClosed, int itemsDeleted, int mppsDeleted, int messagesTrimmed,
                         int eventsDeleted) {
        public int total() {
            return staleClosed + itemsDeleted + mppsDeleted + messagesTrimmed + eventsDeleted;
        }
    }

    private final Database db;
    private final Lease lease;
    private final String owner;
    private final HousekeepingSettings settings;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    /**
     * @param owner this instance's name in the lease (e.g. host name + process id)
     */
    public Housekeeping(Database db, Lease lease, String owner, HousekeepingSettings settings, Clock clock) {
        this.db = db;
        this.lease = lease;
        this.owner = owner;
        this.settings = settings;
        this.clock = clock;
    }

    /** Rows a batch of the step work changes at most: one transaction each, short enough not to slow intake. */
    public static final int DEFAULT_BATCH = 1_000;
    private volatile int batch = DEFAULT_BATCH;
    /** Set by {@link #close}: a run in progress stops after its current batch. */
    private volatile boolean stopping;

    /** Rows per batch (tests; at least 1). */
    public Housekeeping batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.batch = rows;
        return this;
    }

    /**
     * Does all the work now, whoever holds the lease (CLI, tests). Stale steps are closed and finished steps
     * deleted in batches of {@link #DEFAULT_BATCH} rows, one transaction each, so that a first run on a large
     * store (or a regional store of a million steps) never holds locks or writes a huge transaction while orders
     * and consoles keep coming; the rest (MPPS, message log, outbound events) in one last transaction. A batch
     * re-checks its condition on every row it changes, so a step started meanwhile is left alone.
     */
    public Report runOnce() {
        return run(false);
    }

    /**
     * @param leased the run holds the lease: renewed before every batch, and the run stops at the first batch
     *               for which it cannot be renewed (a long run, e.g. a first run closing hundreds of thousands of
     *               stale steps, must not outlive its lease and let a second instance start the same work)
     */
    private Report run(boolean leased) {
        this.leased = leased;
        this.leaseLost = false;
        Instant now = clock.instant();
        LocalDateTime staleBefore = LocalDateTime.ofInstant(now.minus(settings.staleAfter()), clock.getZone());
        Instant purgeBefore = now.minus(settings.purgeAfter());
        Instant trimBefore = now.minus(settings.messageRetention());
        String staleWhere = "status = 'SCHEDULED' AND scheduled_start < ?";
        int stale = inBatches(c -> update(c, "UPDATE worklist_item SET status = ?, " + ItemTable.ROW_VERSION_BUMP
                + ", updated_at = ? WHERE " + staleWhere + " AND id IN (SELECT id FROM worklist_item WHERE "
                + staleWhere + " FETCH FIRST ? ROWS ONLY)", settings.staleStatus().name(), now, staleBefore,
                staleBefore, batch));
        String finishedWhere = "status IN ('COMPLETED', 'DISCONTINUED', 'CANCELED') AND updated_at < ?";
        int items = inBatches(c -> update(c, "DELETE FROM worklist_item WHERE " + finishedWhere
                + " AND id IN (SELECT id FROM worklist_item WHERE " + finishedWhere + " FETCH FIRST ? ROWS ONLY)",
                purgeBefore, purgeBefore, batch));
        Report report = leased && !renewLease() ? new Report(stale, items, 0, 0, 0) : db.inTransaction(c -> {
            update(c, "DELETE FROM mpps_item WHERE NOT EXISTS (SELECT 1 FROM worklist_item i WHERE i.id = "
                    + "mpps_item.item_id)");
            // an item's decision history (re-decisions after the PACS answered) goes with the item
            update(c, "DELETE FROM decision_history WHERE NOT EXISTS (SELECT 1 FROM worklist_item i WHERE i.id = "
                    + "decision_history.item_id)");
            int mpps = update(c, "DELETE FROM mpps WHERE status IN ('COMPLETED', 'DISCONTINUED') AND updated_at < ?",
                    purgeBefore);
            int messages = JdbcMessageLog.deleteReceivedBefore(c, trimBefore);
            int events = update(c, "DELETE FROM outbound_event WHERE state IN ('SENT', 'FAILED') "
                    + "AND finished_at < ?", trimBefore);
            return new Report(stale, items, mpps, messages, events);
        });
        log.info("Housekeeping: {} stale step(s) set {}, {} finished step(s) deleted, {} MPPS deleted, "
                        + "{} HL7 message(s) trimmed, {} outbound event(s) deleted", report.staleClosed(),
                settings.staleStatus(), report.itemsDeleted(), report.mppsDeleted(), report.messagesTrimmed(),
                report.eventsDeleted());
        return report;
    }

    /** Runs if this instance holds (or takes) the lease; empty report otherwise. */
    public java.util.Optional<Report> runIfLeader() {
        // the lease outlives one interval so the holder keeps it from run to run
        Duration ttl = settings.interval().multipliedBy(2);
        if (!lease.tryAcquire(LEASE_NAME, owner, ttl)) {
            log.debug("Housekeeping skipped: another instance holds the lease");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(run(true));
    }

    /** Starts the schedule (first run after {@code initialDelay}). */
    public synchronized void start(Duration initialDelay) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runIfLeader();
            } catch (RuntimeException e) {
                log.warn("Housekeeping run failed: {}", e.getMessage(), e);
            }
        }, initialDelay.toMillis(), settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        stopping = true;
        if (scheduler != null) {
            // No interrupt while a run is in progress: an interrupted H2 file operation closes the whole
            // database. The run in progress finishes its current batch (one transaction) and stops.
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
            try {
                lease.release(LEASE_NAME, owner);
            } catch (RuntimeException e) {
                log.debug("Housekeeping lease release failed: {}", e.getMessage());
            }
        }
    }

    /** Whether the run in progress holds the lease (set by {@link #run}; runs are never concurrent). */
    private volatile boolean leased;
    /** Set when a leased run could not renew its lease: the rest of the run is skipped. */
    private volatile boolean leaseLost;

    /**
     * Runs {@code work} (one batch, one transaction) until a batch changes fewer rows than a batch holds; a leased
     * run renews its lease before each batch and stops when another instance has it.
     */
    private int inBatches(SqlWork<Integer> work) {
        int total = 0;
        int rows;
        do {
            if (leased && !renewLease()) {
                break;
            }
            rows = db.inTransaction(work);
            total += rows;
        } while (rows >= batch && !stopping);
        return total;
    }

    private boolean renewLease() {
        if (leaseLost) {
            return false;
        }
        if (!lease.tryAcquire(LEASE_NAME, owner, settings.interval().multipliedBy(2))) {
            leaseLost = true;
            log.warn("Housekeeping stopped: another instance took the lease during the run");
            return false;
        }
        return true;
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof Instant t) {
                    SqlTime.setInstant(ps, i + 1, t);
                } else if (p instanceof LocalDateTime t) {
                    SqlTime.setLocalDateTime(ps, i + 1, t);
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps.executeUpdate();
        }
    }

}
