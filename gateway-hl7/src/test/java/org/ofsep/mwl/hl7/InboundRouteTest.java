package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.hl7.support.MllpTestClient.field;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.FakeOutboundQueue;
import org.ofsep.mwl.hl7.support.FreePort;
import org.ofsep.mwl.hl7.support.Hl7Files;
import org.ofsep.mwl.hl7.support.MllpTestClient;
import org.ofsep.mwl.hl7.support.Poll;

/** The MLLP listener over a real socket on 127.0.0.1, with in-memory core services. */
class InboundRouteTest {

    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;
    private static final Charset UTF8 = StandardCharsets.UTF_8;
    private static final Charset ASCII = StandardCharsets.US_ASCII;

    private FakeOrderService orders;
    private FakeMessageLog log;
    private Hl7Gateway gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        orders = new FakeOrderService();
        log = new FakeMessageLog();
        port = FreePort.find();
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", port)
                .withFrameTimeout(Duration.ofSeconds(2));
        gateway = new Hl7Gateway(settings, orders, log, new FakeOutboundQueue());
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop();
    }

    private String send(byte[] message, Charset charset) throws Exception {
        try (MllpTestClient client = new MllpTestClient(port)) {
            return new String(client.send(message), charset);
        }
    }

    @Test
    void acceptsAnOrderOnlyAfterItWasApplied() throws Exception {
        CountDownLatch inApply = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ackCodesSeenDuringApply = new ArrayList<>();
        orders.onApply(order -> {
            // the message enters the log with its outcome, in the order's transaction: not before the order
            log.all().forEach(m -> ackCodesSeenDuringApply.add(String.valueOf(m.ackCode())));
            inApply.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (MllpTestClient client = new MllpTestClient(port)) {
            client.write(Hl7Files.bytes("orm-o01-v25-utf8.hl7"));
            assertThat(inApply.await(10, TimeUnit.SECONDS)).isTrue();
            client.socket().setSoTimeout(300);
            assertThatThrownBy(client::readFrame).isInstanceOf(SocketTimeoutException.class);
            assertThat(orders.applied).isEmpty();
            release.countDown();
            client.socket().setSoTimeout(10_000);
            String ack = new String(client.readFrame(), UTF8);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSA", 2)).isEqualTo("MSG25-0003");
        }
        assertThat(ackCodesSeenDuringApply).isEmpty();
        assertThat(orders.applied).hasSize(1);
        LoggedMessage logged = log.all().get(0);
        assertThat(logged.ackCode()).isEqualTo("AA");
        assertThat(logged.controlId()).isEqualTo("MSG25-0003");
        assertThat(logged.sendingApplication()).isEqualTo("RIS^CHU-RENNES");
        assertThat(logged.messageType()).isEqualTo("ORM^O01");
        assertThat(logged.raw()).contains("DUPRÉ^HÉLÈNE");
    }

    /** Issue 16 #13: frames pipelined in one write are each processed and answered, in order; none vanishes. */
    @Test
    void pipelinedFramesAreProcessedInOrderNeverDropped() throws Exception {
        String message = new String(Hl7Files.bytes("orm-o01-v25-utf8.hl7"), UTF8);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String id : List.of("PIPE-1", "PIPE-2", "PIPE-3")) {
            all.write(MllpTestClient.START);
            all.write(message.replace("MSG25-0003", id).getBytes(UTF8));
            all.write(MllpTestClient.END);
            all.write(MllpTestClient.CR);
        }
        byte[] bytes = all.toByteArray();
        try (MllpTestClient client = new MllpTestClient(port)) {
            // two and a half frames in one write, the rest of the third a moment later
            int cut = bytes.length - 40;
            client.writeRaw(java.util.Arrays.copyOfRange(bytes, 0, cut));
            Thread.sleep(200);
            client.writeRaw(java.util.Arrays.copyOfRange(bytes, cut, bytes.length));
            client.socket().setSoTimeout(10_000);
            for (String id : List.of("PIPE-1", "PIPE-2", "PIPE-3")) {
                String ack = new String(client.readFrame(), UTF8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
                assertThat(field(ack, "MSA", 2)).isEqualTo(id);
            }
            // the connection stays usable
            String ack = new String(client.send(message.replace("MSG25-0003", "PIPE-4").getBytes(UTF8)), UTF8);
            assertThat(field(ack, "MSA", 2)).isEqualTo("PIPE-4");
        }
        assertThat(orders.applied).extracting(o -> o.messageControlId())
                .containsExactly("PIPE-1", "PIPE-2", "PIPE-3", "PIPE-4");
    }

    @Test
    void frenchAccentsArriveInLatin1AndUtf8AndTheAckIsInTheSameCharset() throws Exception {
        String latinAck = send(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1);
        assertThat(field(latinAck, "MSA", 1)).isEqualTo("AA");
        assertThat(field(latinAck, "MSH", 12)).isEqualTo("2.3.1");
        assertThat(field(latinAck, "MSH", 18)).isEqualTo("8859/1");
        assertThat(field(latinAck, "MSH", 9)).isEqualTo("ACK^O01");
        String utfAck = send(Hl7Files.bytes("orm-o01-v25-utf8.hl7"), UTF8);
        assertThat(field(utfAck, "MSA", 1)).isEqualTo("AA");
        assertThat(field(utfAck, "MSH", 18)).isEqualTo("UNICODE UTF-8");
        assertThat(field(utfAck, "MSH", 9)).isEqualTo("ACK^O01^ACK");
        assertThat(orders.applied).extracting(o -> o.patient().name())
                .containsExactly("DUPRÉ^HÉLÈNE^MARIE^MME", "DUPRÉ^HÉLÈNE");
    }

    @Test
    void missingPid3GetsAeWithErrNamingTheField() throws Exception {
        String ack = send(Hl7Files.bytes("orm-missing-pid3.hl7"), ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MSGERR-0008");
        // v2.5 ERR: ERR-2 location, ERR-3 HL7 error code, ERR-4 severity, ERR-8 user message
        assertThat(field(ack, "ERR", 2)).isEqualTo("PID^1^3");
        assertThat(field(ack, "ERR", 3)).startsWith("101^");
        assertThat(field(ack, "ERR", 4)).isEqualTo("E");
        assertThat(field(ack, "ERR", 8)).contains("PID-3");
        assertThat(orders.applied).isEmpty();
        LoggedMessage logged = log.all().get(0);
        assertThat(logged.ackCode()).isEqualTo("AE");
        assertThat(logged.error()).contains("PID-3");
        assertThat(logged.raw()).contains("SANSID^PATIENT");
        assertThat(log.failed(10)).extracting(LoggedMessage::id).containsExactly(logged.id());
    }

    @Test
    void missingObr4InV231GetsAeWithErr1() throws Exception {
        String ack = send(Hl7Files.bytes("orm-missing-obr4.hl7"), ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 3)).contains("OBR-4");
        assertThat(field(ack, "ERR", 1)).startsWith("OBR^1^4^101&").contains("OBR-4");
        assertThat(orders.applied).isEmpty();
    }

    @Test
    void anUnmappedControlPairGetsAeNamingThePair() throws Exception {
        String ack = send(Hl7Files.bytes("orm-xo-empty-orc5.hl7"), ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 3)).contains("XO_");
        assertThat(field(ack, "ERR", 1)).startsWith("ORC^1^1^103&");
        assertThat(orders.applied).isEmpty();
        assertThat(log.all().get(0).error()).contains("XO_");
    }

    @Test
    void aRejectionByTheCoreGivesArAndAnInternalFailureGivesAr207() throws Exception {
        orders.onApply(o -> {
            throw new OrderRejectedException("station MR_LOW is below 1.5 T", "IPC-9", true);
        });
        String ack = send(Hl7Files.bytes("orm-o01-v25-utf8.hl7"), UTF8);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "ERR", 2)).isEqualTo("IPC^1^9");
        assertThat(field(ack, "ERR", 8)).contains("below 1.5 T");

        orders.onApply(o -> {
            throw new IllegalStateException("connection refused: database");
        });
        String internal = send(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1);
        assertThat(field(internal, "MSA", 1)).isEqualTo("AR");
        assertThat(field(internal, "ERR", 1)).startsWith("^^^207&");
        assertThat(internal).doesNotContain("database");
        assertThat(log.all()).extracting(LoggedMessage::ackCode).containsExactly("AR", "AR");
    }

    @Test
    void aDuplicateGetsTheSameAckAndIsAppliedOnce() throws Exception {
        byte[] message = Hl7Files.bytes("orm-o01-v231-latin1.hl7");
        String first = send(message, LATIN1);
        String second;
        try (MllpTestClient client = new MllpTestClient(port)) {
            second = new String(client.send(message), LATIN1);
            // and again on the same connection
            assertThat(new String(client.send(message), LATIN1)).isEqualTo(first);
        }
        assertThat(field(first, "MSA", 1)).isEqualTo("AA");
        assertThat(second).isEqualTo(first);
        assertThat(orders.applied).hasSize(1);
        List<LoggedMessage> all = log.all();
        assertThat(all).hasSize(3);
        assertThat(all.get(1).error()).isEqualTo("duplicate of message #" + all.get(0).id());
        assertThat(all.get(1).ackCode()).isEqualTo("AA");
        assertThat(gateway.metrics().receivedCount()).isEqualTo(3);
        assertThat(gateway.metrics().duplicateCount()).isEqualTo(2);
        assertThat(gateway.metrics().acceptedCount()).isEqualTo(3);
    }

    @Test
    void aMessageFirstRefusedIsProcessedWhenResent() throws Exception {
        orders.onApply(o -> {
            throw new OrderRejectedException("no station rule matches", "OBR-21");
        });
        byte[] message = Hl7Files.bytes("orm-o01-v24-escapes.hl7");
        assertThat(field(send(message, LATIN1), "MSA", 1)).isEqualTo("AE");
        orders.onApply(o -> { });
        assertThat(field(send(message, LATIN1), "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
    }

    @Test
    void bytesThatDoNotMatchTheDeclaredCharsetAreRefusedWithArAndKept() throws Exception {
        // Latin-1 bytes declared as UTF-8
        byte[] latin = Hl7Files.bytes("orm-o01-v231-latin1.hl7");
        byte[] declaredUtf8 = new String(latin, LATIN1).replace("|8859/1", "|UNICODE UTF-8").getBytes(LATIN1);
        String ack = send(declaredUtf8, ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MSG231-0001");
        assertThat(field(ack, "ERR", 1)).startsWith("MSH^1^18^102&");
        // UTF-8 bytes declared as 8859/1 (É = C3 89: 0x89 is a C1 control, never text in 8859/1)
        byte[] utf = Hl7Files.bytes("orm-o01-v25-utf8.hl7");
        byte[] declaredLatin = new String(utf, UTF8).replace("|UNICODE UTF-8", "|8859/1").getBytes(UTF8);
        assertThat(field(send(declaredLatin, ASCII), "MSA", 1)).isEqualTo("AR");
        // 8-bit bytes with MSH-18 empty (ASCII)
        byte[] declaredAscii = new String(latin, LATIN1).replace("|8859/1", "").getBytes(LATIN1);
        assertThat(field(send(declaredAscii, ASCII), "MSA", 1)).isEqualTo("AR");
        // an unknown charset
        byte[] unknown = new String(latin, LATIN1).replace("|8859/1", "|ISO IR87").getBytes(LATIN1);
        assertThat(field(send(unknown, ASCII), "MSA", 1)).isEqualTo("AR");

        assertThat(orders.applied).isEmpty();
        List<LoggedMessage> all = log.all();
        assertThat(all).hasSize(4).allSatisfy(m -> assertThat(m.ackCode()).isEqualTo("AR"));
        assertThat(gateway.metrics().rejectedCount()).isEqualTo(4);
        // kept, not mangled: the offending bytes are visible as HL7 hex escapes
        assertThat(all.get(0).raw()).contains("DUPR\\XC9\\^H\\XC9\\L\\XC8\\NE");
        assertThat(all.get(0).error()).contains("UNICODE UTF-8").contains("0xC9");
        assertThat(all.get(1).raw()).contains("DUPR\\XC3\\\\X89\\^H\\XC3\\\\X89\\L");
        assertThat(all.get(1).controlId()).isEqualTo("MSG25-0003");
    }

    @Test
    void garbageIsRefusedWithArAndKept() throws Exception {
        String ack = send("HELLO this is not HL7".getBytes(ASCII), ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(log.all().get(0).raw()).isEqualTo("HELLO this is not HL7");
        String unsupported = send(Hl7Files.bytes("oru-r01-unsupported.hl7"), ASCII);
        assertThat(field(unsupported, "MSA", 1)).isEqualTo("AR");
        assertThat(field(unsupported, "ERR", 3)).startsWith("200^");
    }

    /**
     * Two messages in one MLLP frame: HAPI read the second MSH as one more segment of the first, the first was
     * applied and acknowledged and the second silently lost (found by an independent review). Now the frame is
     * refused (AE 100 on MSH), nothing of it is applied, and it is kept in the message log.
     */
    @Test
    void twoMessagesInOneFrameAreRefusedAndNeitherIsApplied() throws Exception {
        String first = new String(Hl7Files.bytes("adt-a08-v231.hl7"), LATIN1).strip();
        String second = new String(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1).strip();
        String ack = send((first + "\r" + second).getBytes(LATIN1), LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 3)).contains("more than one message");
        assertThat(orders.applied).isEmpty();
        assertThat(orders.updated).isEmpty();
        assertThat(log.failed(10)).singleElement().satisfies(m -> assertThat(m.raw()).contains("ORM^O01"));
    }

    @Test
    void patientUpdatesAndMergesReachTheCore() throws Exception {
        assertThat(field(send(Hl7Files.bytes("adt-a08-v231.hl7"), LATIN1), "MSA", 1)).isEqualTo("AA");
        assertThat(field(send(Hl7Files.bytes("adt-a31-v25.hl7"), ASCII), "MSA", 1)).isEqualTo("AA");
        assertThat(field(send(Hl7Files.bytes("adt-a40-v231.hl7"), ASCII), "MSA", 1)).isEqualTo("AA");
        assertThat(orders.updated).extracting(p -> p.name())
                .containsExactly("DUPRÉ-MARTIN^HÉLÈNE^MARIE", "OBRIEN^JEAN-LUC");
        assertThat(orders.merged).hasSize(1);
        assertThat(orders.merged.get(0).oldId()).isEqualTo("PAT9001");
        assertThat(orders.merged.get(0).survivor().id()).isEqualTo("PAT7001");
    }

    /**
     * A message that takes longer to apply than hl7.idleTimeoutSeconds keeps its connection until its ACK: the check
     * of connections without a whole message closed it while the message was being applied, and the RIS never got
     * the AA of an order that was applied (found by a verification).
     */
    @Test
    void aMessageAppliedLongerThanTheIdleTimeGetsItsAck() throws Exception {
        gateway.stop();
        gateway = new Hl7Gateway(Hl7Settings.defaults().withListener("127.0.0.1", port)
                .withFrameTimeout(Duration.ofSeconds(2)).withConnectionLimits(5, Duration.ofSeconds(1)), orders, log,
                new FakeOutboundQueue());
        gateway.start();
        orders.onApply(order -> {
            try {
                Thread.sleep(2500); // longer than the idle time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String ack = send(Hl7Files.bytes("orm-o01-v24-escapes.hl7"), LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
    }

    /**
     * The same control ID on two connections at once, with different contents: one is applied, the other refused
     * (AE 205). Both passed the duplicate check before either was logged and both got AA, one of them not in force
     * (found by an independent review).
     */
    @Test
    void oneControlIdOnTwoConnectionsAtOnceIsAppliedOnce() throws Exception {
        orders.onApply(order -> {
            try {
                Thread.sleep(300); // the window in which the other connection's message arrives
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String template = Hl7Files.text("orm-o01-v24-escapes.hl7", LATIN1).replace("MSG24-0002", "SAME-1");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> acks = new ArrayList<>();
            for (String reason : List.of("annuel", "annuel modifie")) {
                String msg = template.replace("le annuel", "le " + reason);
                acks.add(pool.submit(() -> field(send(msg.getBytes(LATIN1), LATIN1), "MSA", 1)));
            }
            List<String> codes = new ArrayList<>();
            for (Future<String> f : acks) {
                codes.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(codes).containsExactlyInAnyOrder("AA", "AE");
        } finally {
            pool.shutdownNow();
        }
        assertThat(orders.applied).hasSize(1);
    }

    @Test
    void severalRisConnectionsAtOnce() throws Exception {
        int connections = 8;
        int perConnection = 5;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            String template = Hl7Files.text("orm-o01-v24-escapes.hl7", LATIN1);
            for (int c = 0; c < connections; c++) {
                int conn = c;
                results.add(pool.submit(() -> {
                    List<String> codes = new ArrayList<>();
                    try (MllpTestClient client = new MllpTestClient(port)) {
                        for (int i = 0; i < perConnection; i++) {
                            String msg = template.replace("MSG24-0002", "C" + conn + "-" + i)
                                    .replace("PLC7002", "PLC" + conn + "-" + i);
                            String ack = new String(client.send(msg.getBytes(LATIN1)), LATIN1);
                            codes.add(field(ack, "MSA", 1) + ":" + field(ack, "MSA", 2));
                        }
                    }
                    return codes;
                }));
            }
            for (int c = 0; c < connections; c++) {
                List<String> codes = results.get(c).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < perConnection; i++) {
                    assertThat(codes.get(i)).isEqualTo("AA:C" + c + "-" + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(orders.applied).hasSize(connections * perConnection);
    }

    @Test
    void aFrameOf100KiBIsReceivedWhole() throws Exception {
        StringBuilder big = new StringBuilder(Hl7Files.text("orm-o01-v25-utf8.hl7", UTF8));
        String text = "Antécédents: " + "x".repeat(100 * 1024);
        big.append("\rOBX|5|TX|HISTORY^History^99LOCAL||").append(text);
        byte[] bytes = big.toString().getBytes(UTF8);
        assertThat(bytes.length).isGreaterThan(100 * 1024);
        String ack = send(bytes, UTF8);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied.get(0).procedures().get(0).observations())
                .anySatisfy(o -> assertThat(o.value()).isEqualTo(text));
    }

    @Test
    void aPeerThatDisconnectsMidFrameDoesNotDisturbTheNext() throws Exception {
        byte[] message = Hl7Files.bytes("orm-o01-v25-utf8.hl7");
        try (MllpTestClient broken = new MllpTestClient(port)) {
            ByteArrayOutputStream half = new ByteArrayOutputStream();
            half.write(MllpTestClient.START);
            half.write(message, 0, message.length / 2);
            broken.writeRaw(half.toByteArray());
        }
        String ack = send(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
        assertThat(orders.applied.get(0).messageControlId()).isEqualTo("MSG231-0001");
    }

    /**
     * A sender that starts a frame again before ending the first (its copy cut in the middle of OBX-1, then the
     * whole message): one message, one ACK. camel-mllp made one message of both, and the truncated copy's OBR
     * became a second scheduled step of the order, decided without the weight its cut OBX carried.
     */
    @Test
    void aStartByteInsideAFrameDropsTheUnfinishedFrameBeforeIt() throws Exception {
        byte[] message = Hl7Files.bytes("orm-o01-v25-utf8.hl7");
        String text = new String(message, UTF8);
        byte[] cut = text.substring(0, text.indexOf("OBX|1|") + 6).getBytes(UTF8);
        try (MllpTestClient client = new MllpTestClient(port)) {
            ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
            unfinished.write(MllpTestClient.START);
            unfinished.write(cut);
            client.writeRaw(unfinished.toByteArray());
            String ack = new String(client.send(message), UTF8);
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            assertThat(field(ack, "MSA", 2)).isEqualTo("MSG25-0003");
            // the connection stays usable
            String next = new String(client.send(text.replace("MSG25-0003", "MSG25-0004").getBytes(UTF8)), UTF8);
            assertThat(field(next, "MSA", 2)).isEqualTo("MSG25-0004");
        }
        assertThat(orders.applied).hasSize(2);
        assertThat(orders.applied.get(0).procedures()).hasSize(1);
        assertThat(orders.applied.get(0).procedures().get(0).observations())
                .anySatisfy(o -> assertThat(o.code()).isEqualTo("29463-7"));
    }

    /**
     * An empty or nearly empty frame is answered AR 100 and the connection stays usable. camel-mllp read the 4th
     * byte of the frame when it sent the ACK: it failed, the connection was dropped without an ACK, and the log got
     * an internal error (ERROR) and a second message-log row saying "kept for replay".
     */
    @Test
    void anEmptyFrameGetsAr() throws Exception {
        try (MllpTestClient client = new MllpTestClient(port)) {
            for (byte[] frame : List.of(new byte[] {MllpTestClient.START, MllpTestClient.END, MllpTestClient.CR},
                    new byte[] {MllpTestClient.START, 'M', MllpTestClient.CR, MllpTestClient.END,
                            MllpTestClient.CR})) {
                client.writeRaw(frame);
                String ack = new String(client.readFrame(), UTF8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AR");
                assertThat(ack).contains("|100^");
            }
            assertThat(log.all()).extracting(LoggedMessage::ackCode).containsExactly("AR", "AR");
            String next = new String(client.send(Hl7Files.bytes("orm-o01-v25-utf8.hl7")), UTF8);
            assertThat(field(next, "MSA", 1)).isEqualTo("AA");
        }
    }

    /** FS ends a frame even without the CR MLLP puts after it (some senders leave it out). */
    @Test
    void aFrameEndedByFsWithoutCrIsAnswered() throws Exception {
        byte[] message = Hl7Files.bytes("orm-o01-v25-utf8.hl7");
        try (MllpTestClient client = new MllpTestClient(port)) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(MllpTestClient.START);
            frame.write(message);
            frame.write(MllpTestClient.END);
            client.writeRaw(frame.toByteArray());
            String ack = new String(client.readFrame(), UTF8);
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            // the CR that comes late, then the next frame: the stray byte is ignored
            client.writeRaw(new byte[] {MllpTestClient.CR});
            String next = new String(client.send(new String(message, UTF8).replace("MSG25-0003", "MSG25-0005")
                    .getBytes(UTF8)), UTF8);
            assertThat(field(next, "MSA", 2)).isEqualTo("MSG25-0005");
        }
        assertThat(orders.applied).hasSize(2);
    }

    /**
     * The frame timeout (2 s here) bounds the whole frame, not each read: a peer that dribbles a frame one byte
     * at a time is disconnected, as one that stops is. It held its connection as long as it kept dribbling.
     */
    @Test
    void aFrameDribbledByteByByteIsCutAtTheFrameTimeout() throws Exception {
        byte[] message = Hl7Files.bytes("orm-o01-v25-utf8.hl7");
        try (MllpTestClient dribbler = new MllpTestClient(port)) {
            dribbler.writeRaw(new byte[] {MllpTestClient.START});
            boolean closed = false;
            // a byte every 200 ms, each well within the per-read timeout, for up to 30 s (the frame is 2 s)
            for (int i = 0; i < 150 && !closed; i++) {
                Thread.sleep(200);
                try {
                    dribbler.writeRaw(new byte[] {message[i % message.length]});
                    dribbler.socket().setSoTimeout(1);
                    closed = dribbler.socket().getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet: the connection is open
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("the dribbling connection was closed").isTrue();
        }
        String ack = send(message, UTF8);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
    }

    /**
     * A frame over hl7.maxMessageKilobytes (1 MiB by default) closes its connection; nothing of it is applied,
     * other connections are served. Frames of hundreds of megabytes were read whole (200 MB took minutes of CPU and
     * most of a 512 MB heap), and with a 16 MiB limit twenty frames of 15 MB at once still filled a 512 MB heap in
     * the middle of an H2 write, which left the store's file corrupted.
     */
    @Test
    void anOversizedFrameClosesItsConnection() throws Exception {
        StringBuilder big = new StringBuilder(Hl7Files.text("orm-o01-v25-utf8.hl7", UTF8));
        big.append("\rOBX|5|TX|HISTORY^History^99LOCAL||").append("x".repeat(Hl7Settings.DEFAULT_MAX_MESSAGE_BYTES + 1024));
        try (MllpTestClient client = new MllpTestClient(port)) {
            assertThatThrownBy(() -> client.send(big.toString().getBytes(UTF8)))
                    .isInstanceOf(java.io.IOException.class);
        }
        String ack = send(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
    }

    /**
     * Frames over 64 KiB are handled one at a time, small ones never wait: fifty connections each sending a 1 MB
     * frame at once filled a 512 MB heap (each message needs many times its size while it is parsed and stored).
     */
    @Test
    void largeFramesAreHandledOneAtATimeAndSmallOnesNeverWait() throws Exception {
        String template = Hl7Files.text("orm-o01-v25-utf8.hl7", UTF8).replaceAll("\r+$", "");
        String history = "\rOBX|5|TX|HISTORY^History^99LOCAL||" + "x".repeat(InboundRoute.LARGE_FRAME_BYTES);
        byte[] large1 = (template.replace("MSG25-0003", "BIG-1") + history).getBytes(UTF8);
        byte[] large2 = (template.replace("MSG25-0003", "BIG-2") + history).getBytes(UTF8);
        CountDownLatch inApply = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        orders.onApply(order -> {
            if ("BIG-1".equals(order.messageControlId())) {
                inApply.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (MllpTestClient a = new MllpTestClient(port); MllpTestClient b = new MllpTestClient(port)) {
            a.write(large1);
            assertThat(inApply.await(10, TimeUnit.SECONDS)).isTrue();
            b.write(large2);
            // a small order is served while the large one is being applied
            assertThat(field(send(Hl7Files.bytes("orm-o01-v231-latin1.hl7"), LATIN1), "MSA", 1)).isEqualTo("AA");
            // the second large one waits for its turn
            b.socket().setSoTimeout(500);
            assertThatThrownBy(b::readFrame).isInstanceOf(SocketTimeoutException.class);
            assertThat(orders.applied).extracting(o -> o.messageControlId()).doesNotContain("BIG-2");
            release.countDown();
            a.socket().setSoTimeout(10_000);
            b.socket().setSoTimeout(10_000);
            assertThat(field(new String(a.readFrame(), UTF8), "MSA", 1)).isEqualTo("AA");
            assertThat(field(new String(b.readFrame(), UTF8), "MSA", 1)).isEqualTo("AA");
        }
        assertThat(orders.applied).extracting(o -> o.messageControlId()).contains("BIG-1", "BIG-2");
    }

    @Test
    void peersThatNeverReadTheirAcksDoNotBlockOthers() throws Exception {
        String template = Hl7Files.text("orm-o01-v24-escapes.hl7", LATIN1);
        List<MllpTestClient> deaf = new ArrayList<>();
        try {
            // each sends an order and then neither reads the ACK nor closes the connection
            for (int i = 0; i < 5; i++) {
                MllpTestClient peer = new MllpTestClient(port);
                deaf.add(peer);
                peer.write(template.replace("MSG24-0002", "DEAF-" + i).getBytes(LATIN1));
            }
            String ack = send(Hl7Files.bytes("orm-o01-v25-utf8.hl7"), UTF8);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            Poll.until(Duration.ofSeconds(10), "the silent peers' orders to be applied",
                    () -> orders.applied.size() == 6);
        } finally {
            for (MllpTestClient peer : deaf) {
                peer.close();
            }
        }
    }

    @Test
    void whenTheMessageLogIsDownTheRisGetsAr() throws Exception {
        // (that the order is then not stored either is CoreIntegrationTest's: it needs the real transaction)
        gateway.stop();
        FakeMessageLog down = new FakeMessageLog() {
            @Override
            public long record(String sendingApplication, String controlId, String messageType, String raw,
                               String ackCode, String ack, String error) {
                throw new IllegalStateException("database unreachable");
            }
        };
        gateway = new Hl7Gateway(gateway.settings(), orders, down, new FakeOutboundQueue());
        gateway.start();
        String ack = send(Hl7Files.bytes("orm-o01-v25-utf8.hl7"), UTF8);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MSG25-0003");
        assertThat(field(ack, "ERR", 3)).startsWith("207^");
        assertThat(down.all()).isEmpty();
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws Exception {
        Hl7Gateway second = new Hl7Gateway(gateway.settings(), orders, log, new FakeOutboundQueue());
        assertThatThrownBy(second::start).isInstanceOf(Exception.class);
        assertThat(second.isRunning()).isFalse();
        // the first one still answers
        assertThat(field(send(Hl7Files.bytes("adt-a31-v25.hl7"), ASCII), "MSA", 1)).isEqualTo("AA");
    }

    @Test
    void stopsCleanlyWithAConnectionOpen() throws Exception {
        MllpTestClient idle = new MllpTestClient(port);
        try {
            assertThat(field(new String(idle.send(Hl7Files.bytes("adt-a31-v25.hl7")), ASCII), "MSA", 1))
                    .isEqualTo("AA");
            long before = System.nanoTime();
            gateway.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
            assertThat(gateway.isRunning()).isFalse();
        } finally {
            idle.close();
        }
    }

}
