package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.Housekeeping;
import org.ofsep.mwl.store.HousekeepingSettings;
import org.ofsep.mwl.store.JdbcLease;
import org.ofsep.mwl.store.JdbcMessageLog;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.Json;
import org.ofsep.mwl.store.JsonExport;

/** Housekeeping counts and the JSON export, on each engine. */
public abstract class HousekeepingContract extends DatabaseTest {

    // T0 is 2026-03-02T07:00Z
    static final LocalDateTime NOW = LocalDateTime.of(2026, 3, 2, 7, 0);

    JdbcOrderService orders;
    JdbcPerformedStepService mpps;
    JdbcWorklistStore store;
    HousekeepingSettings settings;

    @BeforeEach
    void services() {
        orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        mpps = new JdbcPerformedStepService(db, clock);
        store = new JdbcWorklistStore(db);
        settings = new HousekeepingSettings(Duration.ofDays(2), SpsStatus.DISCONTINUED, Duration.ofDays(30),
                Duration.ofDays(90), Duration.ofMinutes(10));
    }

    WorklistItem schedule(String placer, LocalDateTime start) {
        return orders.apply(Orders.order(placer).procedure("A" + placer, start).build()).get(0);
    }

    @Test
    void runOnceClosesStaleStepsPurgesFinishedOnesAndTrimsTheLog() {
        WorklistItem stale = schedule("OLD", NOW.minusDays(3));
        WorklistItem recent = schedule("RECENT", NOW.minusDays(1));
        WorklistItem startedLongAgo = schedule("STARTED", NOW.minusDays(5));
        mpps.create(new PerformedStep("1.2.1", "IN PROGRESS", "PAT1", startedLongAgo.studyInstanceUid(),
                List.of(startedLongAgo.spsId()), null, "MR_SIEMENS", NOW, null, List.of(), null));
        WorklistItem done = schedule("DONE", NOW);
        mpps.create(new PerformedStep("1.2.2", "IN PROGRESS", "PAT1", done.studyInstanceUid(),
                List.of(done.spsId()), null, "MR_SIEMENS", NOW, null, List.of(), null));
        mpps.update(new PerformedStep("1.2.2", "COMPLETED", "PAT1", done.studyInstanceUid(),
                List.of(done.spsId()), null, "MR_SIEMENS", NOW, NOW.plusMinutes(20), List.of(), null));
        schedule("CANCELED", NOW);
        orders.apply(Orders.order("CANCELED").control("CA", "CA").build());
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        log.completed(log.received("RIS", "1", "ORM^O01", "MSH|old"), "AA", "ACK", null);
        JdbcOutboundQueue queue = new JdbcOutboundQueue(db, clock);
        queue.due(clock.instant(), 10).forEach(e -> queue.markSent(e.id()));

        Housekeeping hk = new Housekeeping(db, new JdbcLease(db, clock), "gw-a", settings, clock);
        Housekeeping.Report first = hk.runOnce();
        assertThat(first).isEqualTo(new Housekeeping.Report(1, 0, 0, 0, 0));
        assertThat(store.findBySpsId(stale.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.DISCONTINUED);
        assertThat(store.findBySpsId(recent.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(store.findBySpsId(startedLongAgo.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.STARTED);

        // 31 days later: the finished steps (completed, canceled, and the stale one) and the MPPS go
        clock.advance(Duration.ofDays(31));
        Housekeeping.Report second = hk.runOnce();
        assertThat(second.staleClosed()).isEqualTo(1); // RECENT is now stale too
        assertThat(second.itemsDeleted()).isEqualTo(3);
        assertThat(second.mppsDeleted()).isEqualTo(1);
        assertThat(second.messagesTrimmed()).isZero();
        assertThat(mpps.find("1.2.2")).isEmpty();
        assertThat(mpps.find("1.2.1")).isPresent();
        // the patient's exam history is clinical data, not housekeeping: it outlives the purged step
        assertThat(store.history("PAT1")).extracting(p -> p.accessionNumber()).containsExactly("ADONE");

        clock.advance(Duration.ofDays(60));
        Housekeeping.Report third = hk.runOnce();
        assertThat(third.messagesTrimmed()).isEqualTo(1);
        assertThat(third.eventsDeleted()).isEqualTo(2);
        assertThat(third.itemsDeleted()).isEqualTo(1);
    }

    @Test
    void largeRunsGoInBatchesOfOneTransactionEachAndMissNothing() {
        for (int i = 0; i < 5; i++) {
            schedule("OLD" + i, NOW.minusDays(3 + i));
        }
        WorklistItem recent = schedule("RECENT", NOW.minusDays(1));
        Housekeeping hk = new Housekeeping(db, new JdbcLease(db, clock), "gw-a", settings, clock).batchSize(2);
        // 5 stale steps in batches of 2: three transactions, every one closed
        assertThat(hk.runOnce().staleClosed()).isEqualTo(5);
        assertThat(store.countByStatus().get(SpsStatus.DISCONTINUED)).isEqualTo(5L);
        assertThat(store.findBySpsId(recent.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(hk.runOnce().staleClosed()).isZero();
        // 31 days later: RECENT is closed now, the 5 closed a month ago are deleted, 2 by 2
        clock.advance(Duration.ofDays(31));
        Housekeeping.Report later = hk.runOnce();
        assertThat(later.staleClosed()).isEqualTo(1);
        assertThat(later.itemsDeleted()).isEqualTo(5);
        assertThat(store.countByStatus().get(SpsStatus.DISCONTINUED)).isEqualTo(1L);
        assertThat(store.findBySpsId(recent.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.DISCONTINUED);
    }

    @Test
    void aLongRunRenewsItsLeaseBeforeEveryBatchAndStopsWhenAnotherInstanceHasIt() {
        for (int i = 0; i < 6; i++) {
            schedule("OLD" + i, NOW.minusDays(3 + i));
        }
        JdbcLease real = new JdbcLease(db, clock);
        java.util.concurrent.atomic.AtomicInteger renewals = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger(100);
        org.ofsep.mwl.core.store.Lease counting = new org.ofsep.mwl.core.store.Lease() {
            @Override
            public boolean tryAcquire(String name, String owner, Duration ttl) {
                renewals.incrementAndGet();
                return allowed.getAndDecrement() > 0 && real.tryAcquire(name, owner, ttl);
            }

            @Override
            public void release(String name, String owner) {
                real.release(name, owner);
            }

            @Override
            public java.util.Optional<String> holder(String name) {
                return real.holder(name);
            }
        };
        Housekeeping hk = new Housekeeping(db, counting, "gw-a", settings, clock).batchSize(2);
        // 6 stale steps in batches of 2: the lease taken, renewed before each of the 4 stale batches (the last finds
        // none), before the one finished-steps batch and before the last transaction
        assertThat(hk.runIfLeader()).map(Housekeeping.Report::staleClosed).contains(6);
        assertThat(renewals.get()).isEqualTo(1 + 4 + 1 + 1);
        assertThat(real.holder(Housekeeping.LEASE_NAME)).contains("gw-a");

        // another instance takes the lease after the first batch: the run stops there
        for (int i = 0; i < 6; i++) {
            schedule("NEW" + i, NOW.minusDays(3 + i));
        }
        renewals.set(0);
        allowed.set(2); // the run's own acquire and the first batch's renewal
        assertThat(hk.runIfLeader()).map(Housekeeping.Report::staleClosed).contains(2);
        assertThat(store.countByStatus().get(SpsStatus.SCHEDULED)).isEqualTo(4L);
    }

    @Test
    void onlyTheLeaseHolderRuns() {
        schedule("OLD", NOW.minusDays(3));
        JdbcLease lease = new JdbcLease(db, clock);
        Housekeeping a = new Housekeeping(db, lease, "gw-a", settings, clock);
        Housekeeping b = new Housekeeping(db, lease, "gw-b", settings, clock);
        assertThat(a.runIfLeader()).hasValueSatisfying(r -> assertThat(r.staleClosed()).isEqualTo(1));
        assertThat(b.runIfLeader()).isEmpty();
        assertThat(a.runIfLeader()).isPresent();
        // a stops (crash): after the lease ttl (2 intervals) b takes over
        clock.advance(Duration.ofMinutes(21));
        assertThat(b.runIfLeader()).isPresent();
        assertThat(a.runIfLeader()).isEmpty();
    }

    @Test
    void exportWritesActiveWorklistAndHistory() throws Exception {
        WorklistItem active = schedule("EXP1", NOW.plusHours(1));
        WorklistItem done = schedule("EXP2", NOW);
        mpps.create(new PerformedStep("1.2.9", "IN PROGRESS", "PAT1", done.studyInstanceUid(),
                List.of(done.spsId()), null, "MR_SIEMENS", NOW, null, List.of(), null));
        mpps.update(new PerformedStep("1.2.9", "COMPLETED", "PAT1", done.studyInstanceUid(),
                List.of(done.spsId()), null, "MR_SIEMENS", NOW, NOW.plusMinutes(20), List.of(), null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonExport.Counts counts = new JsonExport(db, clock).write(out);
        assertThat(counts).isEqualTo(new JsonExport.Counts(1, 1));
        JsonNode doc = Json.MAPPER.readTree(out.toByteArray());
        assertThat(doc.get("exportedAt").asText()).isEqualTo(T0.toString());
        assertThat(doc.get("worklist")).hasSize(1);
        assertThat(doc.get("worklist").get(0).get("spsId").asText()).isEqualTo(active.spsId());
        assertThat(doc.get("worklist").get(0).get("patient").get("name").asText()).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(doc.get("worklist").get(0).get("decision").get("examCard").asText()).isEqualTo("FULL");
        assertThat(doc.get("history").get(0).get("examCard").asText()).isEqualTo("FULL");
        assertThat(doc.get("history").get(0).get("contrast").asBoolean()).isTrue();
    }

    @Test
    void scheduleRunsOnTheLeaseHolderAndStopsOnClose() throws Exception {
        WorklistItem stale = schedule("SCHED", NOW.minusDays(3));
        HousekeepingSettings fast = new HousekeepingSettings(Duration.ofDays(2), SpsStatus.CANCELED,
                Duration.ofDays(30), Duration.ofDays(90), Duration.ofMillis(50));
        JdbcLease lease = new JdbcLease(db, clock);
        try (Housekeeping hk = new Housekeeping(db, lease, "gw-a", fast, clock)) {
            hk.start(Duration.ZERO);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (store.findBySpsId(stale.spsId()).orElseThrow().status() != SpsStatus.CANCELED
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.findBySpsId(stale.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.CANCELED);
            assertThat(lease.holder(Housekeeping.LEASE_NAME)).contains("gw-a");
        }
        // closing gives the lease up at once for another instance
        assertThat(lease.holder(Housekeeping.LEASE_NAME)).isEmpty();
    }
}
