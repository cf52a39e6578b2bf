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

    /** For rows that hold their order as JSON: a message is never parsed (AssertionError escapes claimDue). */
    static final java.util.function.Function<String, org.ofsep.mwl.core.order.OrderMessage> NO_PARSER = raw -> {
        throw new AssertionError("no row here names a message");
    };

    /** An order message's text as the log keeps it (decoded), one per placer order number. */
    static String raw(String placer) {
        return "MSH|^~\\&|RIS|HOSP|MWLGW|OFSEP|20261204||ORM^O01|MSG" + placer + "|P|2.5|||||FRA|UNICODE UTF-8\r"
                + "PID|||PAT1^^^HOSP||DUPRÉ^HÉLÈNE\rORC|NW|" + placer;
    }

    /** What the intake's parser would give for {@link #raw}: here the test's order; anything else does not parse. */
    static final java.util.function.Function<String, org.ofsep.mwl.core.order.OrderMessage> PARSER = text -> {
        for (String placer : List.of("M1", "M2", "M3")) {
            if (text.equals(raw(placer))) {
                return order(placer);
            }
        }
        throw new IllegalArgumentException("does not parse: " + text);
    };

    /** The order's message and its lookup in one transaction, as the inbound route writes them; the lookup's id. */
    long acceptWithLookup(JdbcMessageLog log, org.ofsep.mwl.store.priors.JdbcPriorLookupQueue q, String placer,
                          String owner, Duration hold) {
        return db.inOneTransaction(() -> {
            long message = log.record("RIS^HOSP", "MSG" + placer, "ORM^O01", raw(placer), "AA", "MSA|AA", null);
            return q.add(order(placer), message, owner, hold);
        });
    }

    @Test
    void aPriorLookupNamesItsLoggedMessageAndIsReadBackThroughTheParser() {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        Duration hold = Duration.ofSeconds(30);
        long m1 = acceptWithLookup(log, q, "M1", "gw-a", hold);
        // the row names the message and holds no copy of the order
        db.read(c -> {
            try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                    "SELECT p.message_id, p.order_json, m.control_id FROM prior_lookup p JOIN hl7_message m"
                            + " ON m.id = p.message_id WHERE p.id = " + m1)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
                assertThat(rs.getString(2)).isNull();
                assertThat(rs.getString(3)).isEqualTo("MSGM1");
            }
            return null;
        });
        // a refused order leaves neither its message nor its lookup
        assertThatThrownBy(() -> db.inOneTransaction(() -> {
            long message = log.record("RIS^HOSP", "MSGM9", "ORM^O01", raw("M9"), "AA", "MSA|AA", null);
            q.add(order("M9"), message, "gw-a", hold);
            throw new IllegalStateException("the order was refused");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(q.depth()).isEqualTo(1);
        assertThat(log.findAccepted("RIS^HOSP", "MSGM9")).isEmpty();
        // held by gw-a; once its claim lapses, gw-b gets the order as the parser reads it from the logged message
        assertThat(q.claimDue("gw-b", 10, hold, PARSER)).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        var claimed = q.claimDue("gw-b", 10, hold, PARSER);
        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0).id()).isEqualTo(m1);
        assertThat(claimed.get(0).order()).isEqualTo(order("M1"));
        assertThat(claimed.get(0).unreadable()).isNull();
        q.done(m1);
        assertThat(q.depth()).isZero();
    }

    @Test
    void aPriorLookupWhoseMessageIsTrimmedOrNoLongerParsesIsDropped() {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        JdbcMessageLog log = new JdbcMessageLog(db, clock);
        long trimmed = acceptWithLookup(log, q, "M1", null, Duration.ZERO);
        clock.advance(Duration.ofMinutes(1));
        long kept = acceptWithLookup(log, q, "M2", null, Duration.ZERO);
        // the log's retention trims the first message while its lookup still waits (a long PACS outage)
        assertThat(log.trim(clock.instant().minusSeconds(30))).isEqualTo(1);
        // a message that no longer parses (another version's parser): here one the test's parser refuses
        long unparsable = db.inOneTransaction(() -> q.add(order("M4"), log.record("RIS^HOSP", "MSGM4", "ORM^O01",
                raw("M4"), "AA", "MSA|AA", null), null, Duration.ZERO));
        var claimed = q.claimDue("gw-a", 10, Duration.ofSeconds(30), PARSER);
        assertThat(claimed).extracting(org.ofsep.mwl.store.priors.JdbcPriorLookupQueue.Pending::id)
                .containsExactly(trimmed, kept, unparsable);
        assertThat(claimed.get(0).order()).isNull();
        assertThat(claimed.get(0).unreadable()).contains("no longer in the message log");
        assertThat(claimed.get(1).order()).isEqualTo(order("M2"));
        assertThat(claimed.get(2).order()).isNull();
        // the reason names the message and the exception's class, never the message's values
        assertThat(claimed.get(2).unreadable()).contains("no longer parses", "IllegalArgumentException")
                .doesNotContain("DUPR", "PAT1");
        // both are gone from the queue (they would be claimed forever); the readable one waits for its lookup
        assertThat(q.depth()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(q.claimDue("gw-b", 10, Duration.ofSeconds(30), PARSER))
                .extracting(org.ofsep.mwl.store.priors.JdbcPriorLookupQueue.Pending::id).containsExactly(kept);
    }

    @Test
    void priorLookupsAreDurableAndClaimedByOneInstanceAtATime() {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        Duration hold = Duration.ofSeconds(30);
        long a = q.add(order("P1"), 0, "gw-a", hold);
        long b = q.add(order("P2"), 0, "gw-a", hold);
        // written in a transaction that fails: nothing stays
        assertThatThrownBy(() -> db.inOneTransaction(() -> {
            q.add(order("P3"), 0, "gw-a", hold);
            throw new IllegalStateException("the order was refused");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(q.depth()).isEqualTo(2);
        // held by the instance that took the orders: the other one leaves them
        assertThat(q.claimDue("gw-b", 10, hold, NO_PARSER)).isEmpty();
        // gw-a renews its claims; gw-b still waits
        clock.advance(Duration.ofSeconds(20));
        assertThat(q.renew("gw-a", hold)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(20));
        assertThat(q.claimDue("gw-b", 10, hold, NO_PARSER)).isEmpty();
        // gw-a died: once its claims lapse, gw-b takes them, oldest first, the order as it was acknowledged
        clock.advance(Duration.ofSeconds(11));
        var claimed = q.claimDue("gw-b", 10, hold, NO_PARSER);
        assertThat(claimed).extracting(org.ofsep.mwl.store.priors.JdbcPriorLookupQueue.Pending::id).containsExactly(a, b);
        assertThat(claimed.get(0).order()).isEqualTo(order("P1"));
        assertThat(claimed.get(0).attempts()).isZero();
        assertThat(q.claimDue("gw-c", 10, hold, NO_PARSER)).isEmpty();
        // the PACS was down: the first waits for its next attempt, unheld; the second is done
        q.retryAt(a, clock.instant().plusSeconds(60));
        q.done(b);
        assertThat(q.depth()).isEqualTo(1);
        assertThat(q.claimDue("gw-c", 10, hold, NO_PARSER)).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        var again = q.claimDue("gw-c", 10, hold, NO_PARSER);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempts()).isEqualTo(1);
        // a stopping instance gives its rows back: due at once, for anyone
        assertThat(q.release(List.of(a), "gw-b")).as("not gw-b's any more").isZero();
        assertThat(q.release(List.of(a), "gw-c")).isEqualTo(1);
        assertThat(q.claimDue("gw-a", 10, hold, NO_PARSER)).hasSize(1);
        q.done(a);
        assertThat(q.depth()).isZero();
    }

    @Test
    void twoInstancesClaimingTheSameDueLookupsAtOnceNeverBothGetOne() throws Exception {
        var q = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, clock);
        java.util.Set<Long> all = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            all.add(q.add(order("C" + i), 0, "gw-dead", Duration.ZERO)); // left by a stopped instance: due at once
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
                        q.claimDue(owner, 7, Duration.ofSeconds(30), NO_PARSER).forEach(p -> mine.add(p.id()));
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
