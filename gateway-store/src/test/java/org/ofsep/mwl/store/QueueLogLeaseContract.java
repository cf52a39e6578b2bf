package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.StatusEvent;

/** Outbound queue ordering, HL7 message log and the job lease, on each engine. */
public abstract class QueueLogLeaseContract extends DatabaseTest {

    StatusEvent event(String placer, String status) {
        return new StatusEvent(0, placer, "F" + placer, "A" + placer, "S" + placer, "PAT1", status, clock.instant(), 0);
    }

    @Test
    void outboundEventsLeaveInOrderPerOrder() {
        JdbcOutboundQueue q = new JdbcOutboundQueue(db, clock);
        long a1 = q.enqueue(event("A", "IP"));
        long b1 = q.enqueue(event("B", "IP"));
        long a2 = q.enqueue(event("A", "CM"));
        long b2 = q.enqueue(event("B", "DC"));
        assertThat(q.depth()).isEqualTo(4);
        // only the oldest pending event of each order is due
        assertThat(q.due(clock.instant(), 10)).extracting(StatusEvent::id).containsExactly(a1, b1);
        assertThat(q.due(clock.instant(), 1)).extracting(StatusEvent::id).containsExactly(a1);

        // A's first event fails transiently: A waits (its CM must not overtake), B goes on
        q.markRetry(a1, "connection refused", clock.instant().plusSeconds(30));
        q.markSent(b1);
        assertThat(q.due(clock.instant(), 10)).extracting(StatusEvent::id).containsExactly(b2);
        clock.advance(Duration.ofSeconds(31));
        List<StatusEvent> due = q.due(clock.instant(), 10);
        assertThat(due).extracting(StatusEvent::id).containsExactly(a1, b2);
        assertThat(due.get(0).attempts()).isEqualTo(1);
        assertThat(due.get(0).status()).isEqualTo("IP");
        assertThat(due.get(0).fillerOrderNumber()).isEqualTo("FA");

        // a final failure (RIS said AE) is kept but no longer blocks the order
        q.markFailed(a1, "AE from RIS");
        q.markSent(b2);
        assertThat(q.due(clock.instant(), 10)).extracting(StatusEvent::id).containsExactly(a2);
        q.markSent(a2);
        assertThat(q.due(clock.instant(), 10)).isEmpty();
        assertThat(q.depth()).isZero();
        assertThat(q.failedCount()).isEqualTo(1);
    }

    static org.ofsep.mwl.core.order.OrderMessage order(String placer) {
        var proc = new org.ofsep.mwl.core.order.ProcedureRequest("A" + placer, null,
                new org.ofsep.mwl.core.domain.ProtocolCode("IRM-SEP", "L", "IRM encéphale SEP"),
                java.time.LocalDateTime.of(2026, 12, 4, 14, 30), "MR", "suivi SEP", null, null, null, null,
                java.util.Map.of("OBR-21", "MR1"), List.of(org.ofsep.mwl.core.order.Observation.ofDate("PRIOR-MRI",
                "99OFSEP", org.ofsep.mwl.core.domain.PartialDate.of(2025, 11, 3)),
                org.ofsep.mwl.core.order.Observation.ofNumber("29463-7", "LN", new java.math.BigDecimal("61.5"), "kg")),
                List.of("IRM de l'an dernier au CHU"));
        return new org.ofsep.mwl.core.order.OrderMessage("MSG" + placer, "RIS^HOSP", "NW", null, placer, null,
                new org.ofsep.mwl.core.domain.Patient("PAT1", "HOSP", "DUPRÉ^HÉLÈNE", java.time.LocalDate.of(1980, 5, 2),
                        "F"), List.of("G35"), "HOUSE^GREGORY", List.of(proc), "ISO_IR 192");
    }

    @Test
    void priorLookupsAreDurableAndClaimedByOneInstanceAtATime() {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        Duration hold = Duration.ofSeconds(30);
        long a = q.add(order("P1"), "gw-a", hold);
        long b = q.add(order("P2"), "gw-a", hold);
        // written in a transaction that fails: nothing stays
        assertThatThrownBy(() -> db.inOneTransaction(() -> {
            q.add(order("P3"), "gw-a", hold);
            throw new IllegalStateException("the order was refused");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(q.depth()).isEqualTo(2);
        // held by the instance that took the orders: the other one leaves them
        assertThat(q.claimDue("gw-b", 10, hold)).isEmpty();
        // gw-a renews its claims; gw-b still waits
        clock.advance(Duration.ofSeconds(20));
        assertThat(q.renew("gw-a", hold)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(20));
        assertThat(q.claimDue("gw-b", 10, hold)).isEmpty();
        // gw-a died: once its claims lapse, gw-b takes them, oldest first, the order as it was acknowledged
        clock.advance(Duration.ofSeconds(11));
        var claimed = q.claimDue("gw-b", 10, hold);
        assertThat(claimed).extracting(org.ofsep.mwl.store.priors.JdbcPriorLookupQueue.Pending::id).containsExactly(a, b);
        assertThat(claimed.get(0).order()).isEqualTo(order("P1"));
        assertThat(claimed.get(0).attempts()).isZero();
        assertThat(q.claimDue("gw-c", 10, hold)).isEmpty();
        // the PACS was down: the first waits for its next attempt, unheld; the second is done
        q.retryAt(a, clock.instant().plusSeconds(60));
        q.done(b);
        assertThat(q.depth()).isEqualTo(1);
        assertThat(q.claimDue("gw-c", 10, hold)).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        var again = q.claimDue("gw-c", 10, hold);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempts()).isEqualTo(1);
        // a stopping instance gives its rows back: due at once, for anyone
        assertThat(q.release(List.of(a), "gw-b")).as("not gw-b's any more").isZero();
        assertThat(q.release(List.of(a), "gw-c")).isEqualTo(1);
        assertThat(q.claimDue("gw-a", 10, hold)).hasSize(1);
        q.done(a);
        assertThat(q.depth()).isZero();
    }

    @Test
    void twoInstancesClaimingTheSameDueLookupsAtOnceNeverBothGetOne() throws Exception {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        java.util.Set<Long> all = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            all.add(q.add(order("C" + i), "gw-dead", Duration.ZERO)); // left by a stopped instance: due at once
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<List<Long>>> claims = new java.util.ArrayList<>();
            for (String owner : List.of("gw-a", "gw-b")) {
                claims.add(two.submit(() -> {
                    start.await();
                    List<Long> mine = new java.util.ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        q.claimDue(owner, 7, Duration.ofSeconds(30)).forEach(p -> mine.add(p.id()));
                    }
                    return mine;
                }));
            }
            List<Long> a = claims.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
            List<Long> b = claims.get(1).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a).doesNotHaveDuplicates().doesNotContainAnyElementsOf(b);
            assertThat(b).doesNotHaveDuplicates();
            java.util.Set<Long> claimed = new java.util.HashSet<>(a);
            claimed.addAll(b);
            assertThat(claimed).isEqualTo(all);
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void queueSurvivesReopen() {
        JdbcOutboundQueue q = new JdbcOutboundQueue(db, clock);
        long id = q.enqueue(event("R", "IP"));
        db.close();
        db = Database.open(settings);
        assertThat(new JdbcOutboundQueue(db, clock).due(clock.instant(), 10)).extracting(StatusEvent::id)
                .containsExactly(id);
    }

    @Test
    void messageLogKeepsMessagesAndAnswers() {
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        String raw = "MSH|^~\\&|RIS|HOSP|MWLGW|OFSEP|20260302||ORM^O01|CTRL1|P|2.3.1\rPID|||PAT1||DUPRÉ^HÉLÈNE";
        long id = log.received("RIS^HOSP", "CTRL1", "ORM^O01", raw);
        assertThat(log.findAnswered("RIS^HOSP", "CTRL1")).isEmpty(); // still processing
        log.completed(id, "AA", "MSH|...|ACK\rMSA|AA|CTRL1", null);
        LoggedMessage m = log.findAnswered("RIS^HOSP", "CTRL1").orElseThrow();
        assertThat(m.raw()).isEqualTo(raw);
        assertThat(m.ackCode()).isEqualTo("AA");
        assertThat(m.receivedAt()).isEqualTo(clock.instant());
        assertThat(log.findAnswered("OTHER^APP", "CTRL1")).isEmpty();

        long bad = log.received(null, null, null, "garbage");
        log.completed(bad, "AR", "MSA|AR", "not HL7");
        clock.advance(Duration.ofMinutes(1));
        long ae = log.received("RIS^HOSP", "CTRL2", "ORM^O01", "MSH|...");
        log.completed(ae, "AE", "MSA|AE", "Unknown order");
        assertThat(log.failed(10)).extracting(LoggedMessage::id).containsExactly(ae, bad);
        assertThat(log.get(bad).orElseThrow().error()).isEqualTo("not HL7");
        assertThat(log.get(bad).orElseThrow().sendingApplication()).isNull();
        assertThat(log.recent(10)).hasSize(3);

        assertThat(log.trim(clock.instant())).isEqualTo(2);
        assertThat(log.get(id)).isEmpty();
        assertThat(log.get(ae)).isPresent();
    }

    @Test
    void leaseIsHeldByOneOwnerAtATime() {
        JdbcLease lease = new JdbcLease(db, clock);
        Duration ttl = Duration.ofSeconds(60);
        assertThat(lease.tryAcquire("outbound", "gw-a", ttl)).isTrue();
        assertThat(lease.tryAcquire("outbound", "gw-b", ttl)).isFalse();
        assertThat(lease.holder("outbound")).contains("gw-a");
        // renewal by the holder extends it
        clock.advance(Duration.ofSeconds(50));
        assertThat(lease.tryAcquire("outbound", "gw-a", ttl)).isTrue();
        clock.advance(Duration.ofSeconds(50));
        assertThat(lease.tryAcquire("outbound", "gw-b", ttl)).isFalse();
        // the holder stops renewing: the other takes over after expiry
        clock.advance(Duration.ofSeconds(11));
        assertThat(lease.holder("outbound")).isEmpty();
        assertThat(lease.tryAcquire("outbound", "gw-b", ttl)).isTrue();
        assertThat(lease.tryAcquire("outbound", "gw-a", ttl)).isFalse();
        // leases are independent by name; release frees at once
        assertThat(lease.tryAcquire("housekeeping", "gw-a", ttl)).isTrue();
        lease.release("outbound", "gw-a"); // not the holder: no effect
        assertThat(lease.holder("outbound")).contains("gw-b");
        lease.release("outbound", "gw-b");
        assertThat(lease.tryAcquire("outbound", "gw-a", ttl)).isTrue();
    }

    @Test
    void garbageMessagesWithOverLongHeadersAreKept() {
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        String app = "R".repeat(500);
        String control = "C".repeat(300);
        long id = log.received(app, control, "T".repeat(50), "x".repeat(100_000));
        log.completed(id, "AR", "MSA|AR", "bad header");
        assertThat(log.get(id).orElseThrow().raw()).hasSize(100_000);
        assertThat(log.findAnswered(app, control)).map(LoggedMessage::id).contains(id);
    }

    @Test
    void aMessageAndWhatItChangedAreCommittedTogetherOrNotAtAll() {
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        JdbcOutboundQueue queue = new JdbcOutboundQueue(db, clock);

        long id = db.inOneTransaction(() -> {
            queue.enqueue(event("P1", "IP"));
            long row = log.record("RIS^HOSP", "CTRL1", "ORM^O01", "MSH|1", "AA", "MSA|AA|CTRL1", null);
            // a read inside the transaction sees its own writes
            assertThat(log.get(row)).isPresent();
            return row;
        });
        assertThat(log.get(id).orElseThrow().ackCode()).isEqualTo("AA");
        assertThat(log.get(id).orElseThrow().receivedAt()).isEqualTo(clock.instant());
        assertThat(queue.depth()).isEqualTo(1);

        assertThatThrownBy(() -> db.inOneTransaction(() -> {
            queue.enqueue(event("P2", "IP"));
            log.record("RIS^HOSP", "CTRL2", "ORM^O01", "MSH|2", "AA", "MSA|AA|CTRL2", null);
            throw new IllegalStateException("rejected after both writes");
        })).hasMessage("rejected after both writes");
        assertThat(queue.depth()).as("the failed transaction left nothing").isEqualTo(1);
        assertThat(log.findAnswered("RIS^HOSP", "CTRL2")).isEmpty();
    }

    @Test
    void aConflictInsideOneTransactionRunsTheWholeWorkAgain() {
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        db.inOneTransaction(() -> {
            runs.incrementAndGet();
            log.record("RIS^HOSP", "CTRL3", "ORM^O01", "MSH|3", "AA", "MSA|AA|CTRL3", null);
            db.inTransaction(c -> {
                if (runs.get() == 1) {
                    throw new java.sql.SQLException("could not serialize access", "40001");
                }
                return null;
            });
            return null;
        });
        assertThat(runs).hasValue(2);
        assertThat(log.recent(10)).extracting(LoggedMessage::controlId).containsExactly("CTRL3");
    }

    @Test
    void trimDeletesTheOldMessagesOverSeveralStepsOfItsWalk() {
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        db.inOneTransaction(() -> {
            for (int i = 0; i < 2_100; i++) {
                log.record("RIS^HOSP", "OLD" + i, "ORM^O01", "MSH|" + i, "AA", "MSA|AA", null);
            }
            return null;
        });
        clock.advance(Duration.ofMinutes(1));
        long kept = log.record("RIS^HOSP", "NEW1", "ORM^O01", "MSH|new", "AE", "MSA|AE", "bad");
        assertThat(log.trim(clock.instant().minusSeconds(1))).isEqualTo(2_100);
        assertThat(log.recent(10)).extracting(LoggedMessage::id).containsExactly(kept);
        assertThat(log.failed(10)).extracting(LoggedMessage::id).containsExactly(kept);
        assertThat(log.trim(clock.instant().minusSeconds(1))).isZero();
    }
}
