package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.hl7.support.MllpTestClient.field;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.FakeOutboundQueue;
import org.ofsep.mwl.hl7.support.FakeOutboundQueue.State;
import org.ofsep.mwl.hl7.support.FakeRis;
import org.ofsep.mwl.hl7.support.FreePort;
import org.ofsep.mwl.hl7.support.Poll;

/** Status messages to a RIS that is a real MLLP server in the test. */
class RisStatusRoutesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final FakeOutboundQueue queue = new FakeOutboundQueue();
    private Hl7Gateway gateway;
    private FakeRis ris;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (ris != null) {
            ris.close();
        }
    }

    private Hl7Gateway gateway(int risPort, String messageType, java.util.function.BooleanSupplier leader)
            throws Exception {
        Hl7Settings.RisOutbound out = Hl7Settings.RisOutbound.to("127.0.0.1", risPort, messageType)
                .withTimings(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(200),
                        Duration.ofSeconds(3));
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", FreePort.find()).withRis(out);
        Hl7Gateway g = new Hl7Gateway(settings, new FakeOrderService(), new FakeMessageLog(), queue, leader,
                java.time.Clock.systemUTC());
        g.start();
        return g;
    }

    @Test
    void aRisThatIsDownThenUpGetsEveryStatusOnceAndInOrder() throws Exception {
        long a1 = queue.add("PLC-A", "FIL-A", "ACC-A", "SPS-A", "PAT-A", "IP", T0);
        long b1 = queue.add("PLC-B", "FIL-B", "ACC-B", "SPS-B", "PAT-B", "IP", T0.plusSeconds(1));
        long a2 = queue.add("PLC-A", "FIL-A", "ACC-A", "SPS-A", "PAT-A", "CM", T0.plusSeconds(60));
        long b2 = queue.add("PLC-B", "FIL-B", "ACC-B", "SPS-B", "PAT-B", "DC", T0.plusSeconds(61));
        int risPort = FreePort.find();
        gateway = gateway(risPort, "ORM^O01", () -> true);

        // the RIS is down: the heads of both orders are retried with backoff, nothing is lost
        Poll.until(Duration.ofSeconds(10), "retries while the RIS is down",
                () -> queue.entry(a1).event.attempts() >= 2 && queue.entry(b1).event.attempts() >= 2);
        assertThat(queue.entry(a1).state).isEqualTo(State.PENDING);
        assertThat(queue.entry(a1).lastError).contains("RIS unreachable");
        assertThat(queue.entry(a2).event.attempts()).isZero();

        ris = new FakeRis(risPort);
        Poll.until(Duration.ofSeconds(15), "all four statuses delivered", () -> queue.depth() == 0);

        List<String> received = ris.received();
        assertThat(received).extracting(m -> field(m, "MSH", 10))
                .containsExactlyInAnyOrder("MWLST" + a1, "MWLST" + a2, "MWLST" + b1, "MWLST" + b2);
        List<String> orderA = received.stream().filter(m -> field(m, "ORC", 2).equals("PLC-A"))
                .map(m -> field(m, "ORC", 5)).toList();
        List<String> orderB = received.stream().filter(m -> field(m, "ORC", 2).equals("PLC-B"))
                .map(m -> field(m, "ORC", 5)).toList();
        assertThat(orderA).containsExactly("IP", "CM");
        assertThat(orderB).containsExactly("IP", "DC");
        String first = received.stream().filter(m -> field(m, "MSH", 10).equals("MWLST" + a1)).findFirst()
                .orElseThrow();
        assertThat(field(first, "MSH", 9)).isEqualTo("ORM^O01");
        assertThat(field(first, "MSH", 12)).isEqualTo("2.3.1");
        assertThat(field(first, "ORC", 1)).isEqualTo("SC");
        assertThat(field(first, "ORC", 3)).isEqualTo("FIL-A");
        assertThat(field(first, "PID", 3)).isEqualTo("PAT-A");
        assertThat(field(first, "OBR", 18)).isEqualTo("ACC-A");
        assertThat(field(first, "OBR", 20)).isEqualTo("SPS-A");
        for (long id : List.of(a1, a2, b1, b2)) {
            assertThat(queue.entry(id).state).isEqualTo(State.SENT);
        }
        assertThat(gateway.metrics().statusSentCount()).isEqualTo(4);
        assertThat(gateway.metrics().statusRetryCount()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aStatusTheRisRefusesIsFailedNotRetried() throws Exception {
        int risPort = FreePort.find();
        ris = new FakeRis(risPort);
        ris.answer(message -> field(message, "ORC", 5).equals("DC") ? "AE" : "AA");
        long refused = queue.add("PLC-C", "FIL-C", "ACC-C", "SPS-C", "PAT-C", "DC", T0);
        long next = queue.add("PLC-C", "FIL-C", "ACC-C", "SPS-C", "PAT-C", "CM", T0.plusSeconds(5));
        gateway = gateway(risPort, "ORM^O01", () -> true);
        Poll.until(Duration.ofSeconds(10), "the order's later status sent", () -> queue.entry(next).state
                == State.SENT);
        assertThat(queue.entry(refused).state).isEqualTo(State.FAILED);
        assertThat(queue.entry(refused).lastError).contains("refused").contains("MSA|AE|MWLST" + refused);
        assertThat(ris.received()).extracting(m -> field(m, "ORC", 5)).containsExactly("DC", "CM");
        assertThat(gateway.metrics().statusFailedCount()).isEqualTo(1);
    }

    @Test
    void omiAndOmgShapesCarryTheSameStatus() throws Exception {
        int risPort = FreePort.find();
        ris = new FakeRis(risPort);
        queue.add("PLC-D", "FIL-D", "ACC-D", "SPS-D", "PAT-D", "IP", T0);
        gateway = gateway(risPort, "OMI^O23", () -> true);
        Poll.until(Duration.ofSeconds(10), "OMI sent", () -> ris.received().size() == 1);
        String omi = ris.received().get(0);
        assertThat(field(omi, "MSH", 9)).isEqualTo("OMI^O23^OMI_O23");
        assertThat(field(omi, "MSH", 12)).isEqualTo("2.5.1");
        assertThat(field(omi, "ORC", 5)).isEqualTo("IP");
        assertThat(field(omi, "IPC", 1)).isEqualTo("ACC-D");
        assertThat(field(omi, "IPC", 4)).isEqualTo("SPS-D");
        assertThat(omi).contains("\rTQ1|");
    }

    @Test
    void aRisThatClosesTheConnectionAfterEachAckStillGetsEverythingOnce() throws Exception {
        int risPort = FreePort.find();
        ris = new FakeRis(risPort);
        ris.closeAfterEachAck();
        List<Long> ids = new java.util.ArrayList<>();
        for (String status : List.of("IP", "CM")) {
            ids.add(queue.add("PLC-F", "FIL-F", "ACC-F", "SPS-F", "PAT-F", status, T0));
            ids.add(queue.add("PLC-G", "FIL-G", "ACC-G", "SPS-G", "PAT-G", status, T0));
        }
        gateway = gateway(risPort, "ORM^O01", () -> true);
        Poll.until(Duration.ofSeconds(15), "all sent", () -> queue.depth() == 0);
        assertThat(ris.received()).extracting(m -> field(m, "MSH", 10))
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "MWLST" + id).toList());
        for (long id : ids) {
            assertThat(queue.entry(id).state).isEqualTo(State.SENT);
        }
    }

    @Test
    void onlyTheLeaderSends() throws Exception {
        int risPort = FreePort.find();
        ris = new FakeRis(risPort);
        long id = queue.add("PLC-E", "FIL-E", "ACC-E", "SPS-E", "PAT-E", "CM", T0);
        AtomicInteger asked = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean(false);
        gateway = gateway(risPort, "ORM^O01", () -> {
            asked.incrementAndGet();
            return leader.get();
        });
        Poll.until(Duration.ofSeconds(10), "several polls", () -> asked.get() >= 5);
        assertThat(ris.received()).isEmpty();
        assertThat(queue.entry(id).state).isEqualTo(State.PENDING);
        leader.set(true);
        Poll.until(Duration.ofSeconds(10), "sent once leader", () -> queue.entry(id).state == State.SENT);
        assertThat(ris.received()).hasSize(1);
    }
}
