package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.hl7.support.MllpTestClient.field;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.StatusEvent;
import org.ofsep.mwl.hl7.support.FakeRis;
import org.ofsep.mwl.hl7.support.FreePort;
import org.ofsep.mwl.hl7.support.Hl7Files;
import org.ofsep.mwl.hl7.support.MllpTestClient;
import org.ofsep.mwl.hl7.support.Poll;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcMessageLog;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.service.JdbcOrderService;

/**
 * The HL7 interface on the real core: JDBC order service, message log and outbound queue on H2, the OFSEP engine
 * and the shipped config/mapping.yaml. Catches contract drift between gateway-hl7 and gateway-core early; the full
 * end-to-end (with DICOM) lives in gateway-app.
 */
class CoreIntegrationTest {

    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

    @TempDir
    Path data;
    private Database db;
    private JdbcMessageLog log;
    private JdbcOutboundQueue queue;
    private JdbcWorklistStore worklist;
    private JdbcOrderService orders;
    private Hl7Settings settings;
    private Hl7Gateway gateway;
    private FakeRis ris;
    private int port;
    private int risPort;

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("config/mapping.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("config/mapping.yaml not found");
        }
        return dir;
    }

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemDefaultZone();
        db = Database.open(DatabaseSettings.h2(data));
        MappingSnapshot mapping = MappingLoader.load(repositoryRoot().resolve("config/mapping.yaml"));
        // the planner as the gateway wires it: the HL7 field limits are checked
        orders = new JdbcOrderService(db, new OrderPlanner(() -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock, ItemTexts.DEFAULT, new Hl7FieldLimits()));
        log = new JdbcMessageLog(db, clock);
        queue = new JdbcOutboundQueue(db, clock);
        worklist = new JdbcWorklistStore(db);
        port = FreePort.find();
        risPort = FreePort.find();
        settings = Hl7Settings.defaults().withListener("127.0.0.1", port)
                .withRis(Hl7Settings.RisOutbound.to("127.0.0.1", risPort, "ORM^O01").withTimings(
                        Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(3)));
        gateway = new Hl7Gateway(settings, orders, log, db, queue, () -> true, clock);
        gateway.start();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.stop();
        if (ris != null) {
            ris.close();
        }
        db.close();
    }

    private String send(String file, Charset charset) throws Exception {
        try (MllpTestClient client = new MllpTestClient(port)) {
            return new String(client.send(Hl7Files.bytes(file)), charset);
        }
    }

    @Test
    void anOrderLivesItsLifeThroughTheRealStore() throws Exception {
        String ack = send("orm-o01-v231-latin1.hl7", LATIN1);
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
        List<WorklistItem> items = worklist.findByAccession("ACC7001");
        assertThat(items).hasSize(1);
        WorklistItem item = items.get(0);
        assertThat(item.patient().name()).isEqualTo("DUPRÉ^HÉLÈNE^MARIE^MME");
        assertThat(item.specificCharacterSet()).isEqualTo("ISO_IR 100");
        assertThat(item.stationAeTitle()).isEqualTo("MR_SIEMENS");
        assertThat(item.studyInstanceUid()).isEqualTo("1.2.250.1.59.453.859.7001");
        assertThat(item.spsId()).isEqualTo("SPS7001");
        assertThat(item.weightKg()).isEqualTo(68.5);
        assertThat(item.decision().ofsep()).isTrue();

        // the same message again: the same ACK, still one item
        assertThat(send("orm-o01-v231-latin1.hl7", LATIN1)).isEqualTo(ack);
        assertThat(worklist.findByAccession("ACC7001")).hasSize(1);

        // A08: the worklist shows the new name
        assertThat(field(send("adt-a08-v231.hl7", LATIN1), "MSA", 1)).isEqualTo("AA");
        assertThat(worklist.findByAccession("ACC7001").get(0).patient().name())
                .isEqualTo("DUPRÉ-MARTIN^HÉLÈNE^MARIE");

        // XO_SC: the RIS moved the exam to another day and scanner, and reports a relapse: updated, decided again
        assertThat(field(send("orm-xo-sc-v231.hl7", LATIN1), "MSA", 1)).isEqualTo("AA");
        WorklistItem moved = worklist.findByAccession("ACC7001").get(0);
        assertThat(moved.scheduledStart()).isEqualTo(java.time.LocalDateTime.of(2026, 11, 27, 15, 0));
        assertThat(moved.stationAeTitle()).isEqualTo("MR_GE");
        assertThat(moved.reason()).isEqualTo("Suspicion de poussée SEP");
        assertThat(moved.decision().examCard()).isEqualTo(org.ofsep.mwl.core.domain.ExamCard.FULL);
        assertThat(moved.status()).isEqualTo(SpsStatus.SCHEDULED);

        // XO with an empty ORC-5 is not mapped: AE naming the pair, nothing changed, kept as failed
        String xo = send("orm-xo-empty-orc5.hl7", StandardCharsets.US_ASCII);
        assertThat(field(xo, "MSA", 1)).isEqualTo("AE");
        assertThat(field(xo, "MSA", 3)).contains("XO_");
        assertThat(log.failed(10)).extracting(LoggedMessage::controlId).containsExactly("MSG231-0013");

        // CA: the step leaves the worklist
        assertThat(field(send("orm-ca-v231.hl7", StandardCharsets.US_ASCII), "MSA", 1)).isEqualTo("AA");
        assertThat(worklist.findByAccession("ACC7001")).extracting(WorklistItem::status)
                .containsOnly(SpsStatus.CANCELED);
    }

    @Test
    void anA40MovesTheOldPatientsItemsToTheSurvivor() throws Exception {
        String other = Hl7Files.text("orm-o01-v231-latin1.hl7", LATIN1).replace("PAT7001", "PAT9001")
                .replace("PLC7001", "PLC9001").replace("FIL7001", "FIL9001").replace("ACC7001", "ACC9001")
                .replace("SPS7001", "SPS9001").replace("MSG231-0001", "MSG231-9001")
                .replace("859.7001", "859.9001");
        try (MllpTestClient client = new MllpTestClient(port)) {
            assertThat(field(new String(client.send(other.getBytes(LATIN1)), LATIN1), "MSA", 1)).isEqualTo("AA");
        }
        assertThat(worklist.findByAccession("ACC9001").get(0).patient().id()).isEqualTo("PAT9001");
        assertThat(field(send("adt-a40-v231.hl7", StandardCharsets.US_ASCII), "MSA", 1)).isEqualTo("AA");
        WorklistItem merged = worklist.findByAccession("ACC9001").get(0);
        assertThat(merged.patient().id()).isEqualTo("PAT7001");
        assertThat(merged.patient().name()).isEqualTo("DUPRE^HELENE");
    }

    @Test
    void omiWithTwoStepsAndAnIncompleteOrderThroughTheRealStore() throws Exception {
        assertThat(field(send("omi-o23-v251-ihe.hl7", StandardCharsets.US_ASCII), "MSA", 1)).isEqualTo("AA");
        assertThat(worklist.findByAccession("ACC7004")).extracting(WorklistItem::spsId)
                .containsExactlyInAnyOrder("SPS7004A", "SPS7004B");
        assertThat(worklist.findByAccession("ACC7004")).extracting(WorklistItem::stationAeTitle)
                .containsOnly("MR_CANON");

        String ack = send("orm-missing-pid3.hl7", StandardCharsets.US_ASCII);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        LoggedMessage kept = log.failed(10).get(0);
        assertThat(kept.raw()).contains("SANSID^PATIENT");
        assertThat(kept.error()).contains("PID-3");
    }

    @Test
    void aValueLongerThanTheWorklistHoldsIsRefusedNamingTheHl7Field() throws Exception {
        String tooLong = Hl7Files.text("orm-o01-v231-latin1.hl7", LATIN1).replace("ACC7001", "A".repeat(65));
        String ack;
        try (MllpTestClient client = new MllpTestClient(port)) {
            ack = new String(client.send(tooLong.getBytes(LATIN1)), LATIN1);
        }
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AE");
        // Accession Number is SH: at most 16 characters (issue 16 #1), refused with ERR 102 naming OBR-18
        assertThat(ack).contains("OBR-18").contains("at most 16").contains("^102&");
        assertThat(worklist.findByAccession("A".repeat(65))).isEmpty();
        assertThat(log.failed(10).get(0).error()).contains("OBR-18");
    }

    /** Moved from gateway-store's OrderServiceContract with the length checks (issue 15: they are HL7's). */
    @Test
    void overLongValuesAreRejectedNamingTheField() {
        String longName = "X".repeat(401) + "^Y";
        assertThatThrownBy(() -> orders.apply(order("PL15", new Patient("P15", "HOSP", longName, null, "F"), "A15")))
                .isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("Patient name (PID-5) is longer than 400")
                .extracting(e -> ((OrderRejectedException) e).field()).isEqualTo("PID-5");
        assertThatThrownBy(() -> orders.apply(order("PL15", new Patient("P15", "HOSP", "DOE^JANE", null, "F"),
                "A".repeat(65)))).isInstanceOf(OrderRejectedException.class).hasMessageContaining("OBR-18");
        assertThatThrownBy(() -> orders.updatePatient(new Patient("P15", null, longName, null, null)))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("PID-5");
        assertThat(worklist.findByAccession("A15")).isEmpty();
    }

    private static OrderMessage order(String placer, Patient patient, String accession) {
        ProcedureRequest proc = new ProcedureRequest(accession, null, new ProtocolCode("MRBRAIN", "99RIS",
                "IRM cerebrale"), java.time.LocalDateTime.of(2026, 11, 20, 9, 0), "MR", "suivi SEP", null, null,
                null, null, java.util.Map.of(), List.of());
        return new OrderMessage("M15", "RIS^HOSP", "NW", "SC", placer, "F" + placer, patient, List.of("G35"),
                "MARTIN^PAUL", List.of(proc));
    }

    @Test
    void statusEventsFromTheDurableQueueReachTheRis() throws Exception {
        Instant now = Instant.now();
        long ip = queue.enqueue(new StatusEvent(0, "PLC9", "FIL9", "ACC9", "SPS9", "PAT9", "IP", now, 0));
        long cm = queue.enqueue(new StatusEvent(0, "PLC9", "FIL9", "ACC9", "SPS9", "PAT9", "CM", now.plusSeconds(1),
                0));
        // the RIS is down for a few attempts, then comes up
        Poll.until(Duration.ofSeconds(10), "a retry recorded", () -> queue.due(Instant.now().plusSeconds(3600), 10)
                .stream().anyMatch(e -> e.id() == ip && e.attempts() > 0));
        ris = new FakeRis(risPort);
        Poll.until(Duration.ofSeconds(15), "both statuses sent", () -> queue.depth() == 0);
        assertThat(ris.received()).extracting(m -> field(m, "ORC", 5)).containsExactly("IP", "CM");
        assertThat(ris.received()).extracting(m -> field(m, "MSH", 10)).containsExactly("MWLST" + ip, "MWLST" + cm);
    }

    @Test
    void anOrderAndItsLogRowAreOneCommit() throws Exception {
        String ack = send("orm-o01-v231-latin1.hl7", LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        // one log row, written with its outcome: the message, its AA and the order are committed together
        List<LoggedMessage> rows = log.recent(10);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).controlId()).isEqualTo("MSG231-0001");
        assertThat(rows.get(0).ackCode()).isEqualTo("AA");
        assertThat(rows.get(0).ack()).isEqualTo(ack);
        assertThat(rows.get(0).raw()).contains("DUPRÉ^HÉLÈNE");
        assertThat(worklist.findByAccession("ACC7001")).hasSize(1);
    }

    @Test
    void whenTheLogRowCannotBeWrittenTheOrderIsRolledBackAndTheRisGetsAr() throws Exception {
        gateway.stop();
        // the log fails after the order service wrote the order, inside the same transaction
        JdbcMessageLog failing = log;
        org.ofsep.mwl.core.store.MessageLog down = new org.ofsep.mwl.core.store.MessageLog() {
            @Override
            public long received(String sendingApplication, String controlId, String messageType, String raw) {
                return failing.received(sendingApplication, controlId, messageType, raw);
            }

            @Override
            public void completed(long id, String ackCode, String ack, String error) {
                failing.completed(id, ackCode, ack, error);
            }

            @Override
            public long record(String sendingApplication, String controlId, String messageType, String raw,
                               String ackCode, String ack, String error) {
                if ("AA".equals(ackCode)) {
                    throw new IllegalStateException("disk full");
                }
                return failing.record(sendingApplication, controlId, messageType, raw, ackCode, ack, error);
            }

            @Override
            public java.util.Optional<LoggedMessage> findAnswered(String sendingApplication, String controlId) {
                return failing.findAnswered(sendingApplication, controlId);
            }

            @Override
            public java.util.Optional<LoggedMessage> get(long id) {
                return failing.get(id);
            }

            @Override
            public List<LoggedMessage> failed(int limit) {
                return failing.failed(limit);
            }

            @Override
            public int trim(Instant cutoff) {
                return failing.trim(cutoff);
            }
        };
        gateway = new Hl7Gateway(settings, orders, down, db, queue, () -> true, Clock.systemDefaultZone());
        gateway.start();

        String ack = send("orm-o01-v231-latin1.hl7", LATIN1);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(worklist.findByAccession("ACC7001")).as("the order was rolled back with its log row").isEmpty();
        // the message is kept, with the AR it got, for inspection and replay
        assertThat(log.failed(10)).extracting(LoggedMessage::controlId).containsExactly("MSG231-0001");
    }
}
