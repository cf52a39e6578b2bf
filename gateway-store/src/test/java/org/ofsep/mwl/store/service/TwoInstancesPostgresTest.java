package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.PerformedStepService.Result;
import org.ofsep.mwl.core.store.StatusEvent;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.EmbeddedPg;
import org.ofsep.mwl.store.Housekeeping;
import org.ofsep.mwl.store.HousekeepingSettings;
import org.ofsep.mwl.store.JdbcLease;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.LeasedOutboundQueue;
import org.ofsep.mwl.store.MutableClock;

/**
 * Two gateway instances (each its own pool and services, as two processes would have) active-active on one
 * real PostgreSQL database.
 */
class TwoInstancesPostgresTest {

    static final LocalDateTime START = LocalDateTime.of(2026, 3, 3, 9, 30);

    /** What one gateway instance holds. */
    static final class Instance implements AutoCloseable {
        final String name;
        final Database db;
        final JdbcOrderService orders;
        final JdbcPerformedStepService mpps;
        final JdbcWorklistStore store;
        final JdbcOutboundQueue queue;
        final JdbcLease lease;

        Instance(String name, DatabaseSettings settings, MutableClock clock) {
            this.name = name;
            db = Database.open(settings);
            orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                    new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
            mpps = new JdbcPerformedStepService(db, clock);
            store = new JdbcWorklistStore(db);
            queue = new JdbcOutboundQueue(db, clock);
            lease = new JdbcLease(db, clock);
        }

        List<WorklistItem> worklist() {
            List<WorklistItem> out = new ArrayList<>();
            store.query(WorklistQuery.all(), out::add);
            return out;
        }

        @Override
        public void close() {
            db.close();
        }
    }

    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-02T07:00:00Z"));
    Instance a;
    Instance b;

    @BeforeEach
    void start() {
        DatabaseSettings shared = EmbeddedPg.newDatabase();
        a = new Instance("gw-a", shared, clock);
        b = new Instance("gw-b", shared, clock);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void anOrderReceivedByOneIsInTheWorklistOfBothAtOnce() {
        WorklistItem item = a.orders.apply(Orders.order("TWO1").procedure("ATWO1", START).build()).get(0);
        assertThat(b.worklist()).containsExactly(item);
        b.orders.apply(Orders.order("TWO1").control("CA", "CA").build());
        assertThat(a.worklist()).isEmpty();
    }

    @Test
    void theSameOrderSentToBothAtTheSameMomentGivesOneItem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String placer = "SAME" + round;
                CyclicBarrier barrier = new CyclicBarrier(4);
                List<Future<List<WorklistItem>>> sent = new ArrayList<>();
                for (Instance gw : List.of(a, b, a, b)) {
                    sent.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return gw.orders.apply(Orders.order(placer)
                                .procedure("ACC" + placer, null, null, Orders.BRAIN, START, null)
                                .procedure("ACC" + placer, null, null, Orders.SPINE, START.plusMinutes(20), null)
                                .build());
                    }));
                }
                Set<Long> ids = new HashSet<>();
                for (Future<List<WorklistItem>> f : sent) {
                    f.get(30, TimeUnit.SECONDS).forEach(i -> ids.add(i.id()));
                }
                assertThat(ids).hasSize(2);
                assertThat(a.store.findByPlacerOrder(placer)).hasSize(2);
                assertThat(b.store.findByPlacerOrder(placer)).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mppsForAnItemReceivedByTheOtherInstanceWorks() {
        WorklistItem item = a.orders.apply(Orders.order("TWO3").procedure("ATWO3", START).build()).get(0);
        PerformedStep created = new PerformedStep("1.2.3.33", "IN PROGRESS", "PAT1", item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), "MR_SIEMENS", START, null, List.of(), new byte[] {7});
        assertThat(b.mpps.create(created)).isEqualTo(Result.OK);
        assertThat(a.store.findBySpsId(item.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.STARTED);
        // the N-SET may reach the first instance
        PerformedStep completed = new PerformedStep("1.2.3.33", "COMPLETED", "PAT1", item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), "MR_SIEMENS", START, START.plusMinutes(20), List.of(),
                new byte[] {8});
        assertThat(a.mpps.update(completed)).isEqualTo(Result.OK);
        assertThat(b.store.findBySpsId(item.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.COMPLETED);
        assertThat(b.store.history("PAT1")).hasSize(1);
        // and a duplicate N-CREATE on either instance is refused
        assertThat(a.mpps.create(created)).isEqualTo(Result.DUPLICATE_INSTANCE);
        assertThat(b.queue.pending(10)).extracting(StatusEvent::status).containsExactly("IP", "CM");
    }

    @Test
    void concurrentDuplicateMppsCreateOnBothInstancesIsStoredOnce() throws Exception {
        WorklistItem item = a.orders.apply(Orders.order("TWO4").procedure("ATWO4", START).build()).get(0);
        PerformedStep created = new PerformedStep("1.2.3.44", "IN PROGRESS", "PAT1", item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), "MR_SIEMENS", START, null, List.of(), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<Future<Result>> results = new ArrayList<>();
            for (Instance gw : List.of(a, b)) {
                results.add(pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return gw.mpps.create(created);
                }));
            }
            List<Result> r = new ArrayList<>();
            for (Future<Result> f : results) {
                r.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(r).containsExactlyInAnyOrder(Result.OK, Result.DUPLICATE_INSTANCE);
            assertThat(a.queue.depth()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leasedJobsRunOnOneInstanceAtATime() throws Exception {
        // both instances race for the outbound sender lease many times: exactly one wins each time
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "outbound-" + round;
                CyclicBarrier barrier = new CyclicBarrier(2);
                AtomicInteger winners = new AtomicInteger();
                List<Future<?>> f = new ArrayList<>();
                for (Instance gw : List.of(a, b)) {
                    f.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        if (gw.lease.tryAcquire(name, gw.name, Duration.ofSeconds(30))) {
                            winners.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> x : f) {
                    x.get(30, TimeUnit.SECONDS);
                }
                assertThat(winners.get()).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        // housekeeping on both instances: only one does the work
        HousekeepingSettings hs = new HousekeepingSettings(Duration.ofDays(2), SpsStatus.DISCONTINUED,
                Duration.ofDays(30), Duration.ofDays(90), Duration.ofMinutes(5));
        Housekeeping ha = new Housekeeping(a.db, a.lease, a.name, hs, clock);
        Housekeeping hb = new Housekeeping(b.db, b.lease, b.name, hs, clock);
        assertThat(ha.runIfLeader()).isPresent();
        assertThat(hb.runIfLeader()).isEmpty();
        // the holder goes away: after the ttl the other instance takes over
        a.close();
        clock.advance(Duration.ofMinutes(11));
        assertThat(hb.runIfLeader()).isPresent();
        a = new Instance("gw-a", b.db.settings(), clock); // reopened for @AfterEach
    }

    @Test
    void onlyOneInstanceSendsTheRisStatusMessages() {
        WorklistItem item = a.orders.apply(Orders.order("TWO6").procedure("ATWO6", START).build()).get(0);
        b.mpps.create(new PerformedStep("1.2.3.66", "IN PROGRESS", "PAT1", item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), "MR_SIEMENS", START, null, List.of(), null));
        Duration ttl = Duration.ofSeconds(30);
        LeasedOutboundQueue senderA = new LeasedOutboundQueue(a.queue, a.lease, "gw-a", ttl);
        LeasedOutboundQueue senderB = new LeasedOutboundQueue(b.queue, b.lease, "gw-b", ttl);
        assertThat(senderA.due(clock.instant(), 10)).extracting(StatusEvent::status).containsExactly("IP");
        assertThat(senderB.due(clock.instant(), 10)).isEmpty();
        assertThat(senderA.isSender()).isTrue();
        assertThat(senderB.isSender()).isFalse();
        assertThat(senderB.depth()).isEqualTo(1); // both see the depth for health and metrics
        // A keeps polling within the ttl and keeps the job
        clock.advance(Duration.ofSeconds(20));
        assertThat(senderA.due(clock.instant(), 10)).hasSize(1);
        clock.advance(Duration.ofSeconds(20));
        assertThat(senderB.due(clock.instant(), 10)).isEmpty();
        // A stops polling (crashed): after the ttl B takes over and sends what A left
        clock.advance(Duration.ofSeconds(11));
        List<StatusEvent> takenOver = senderB.due(clock.instant(), 10);
        assertThat(takenOver).extracting(StatusEvent::status).containsExactly("IP");
        senderB.markSent(takenOver.get(0).id());
        assertThat(senderA.due(clock.instant(), 10)).isEmpty();
        assertThat(a.queue.depth()).isZero();
        // clean shutdown of B hands over at once
        senderB.release();
        assertThat(senderA.due(clock.instant(), 10)).isEmpty();
        assertThat(senderA.isSender()).isTrue();
    }
}
