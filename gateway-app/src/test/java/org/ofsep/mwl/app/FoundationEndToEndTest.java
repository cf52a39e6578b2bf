package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 2 end to end: the real gateway, orders over a real MLLP socket, the worklist read by dcmtk's findscu and
 * echoscu (an independent DICOM implementation), accents included; a cancel; a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FoundationEndToEndTest {
    @TempDir
    static Path work;
    TestGateway gw;
    int dicomPort;

    /** Every event logged while the gateway runs, to prove patient data stays out of INFO and above. */
    final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        gw = new TestGateway(work).start();
        dicomPort = gw.config.dicom.port;
    }

    @AfterAll
    void stop() {
        gw.close();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .detachAppender(logged);
    }

    private List<Dcmtk.Response> find(String callingAe, String... keys) throws Exception {
        return Dcmtk.worklist(work, callingAe, "MWLGW", dicomPort, List.of(keys));
    }

    @Test
    @Order(1)
    void ordersAreAcknowledgedAfterTheyAreStored() throws Exception {
        String ack = gw.send("/e2e/orm-latin1-routine.hl7", StandardCharsets.ISO_8859_1);
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MSG-E2E-0001");

        ack = gw.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8);
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");

        ack = gw.send("/e2e/orm-knee.hl7", StandardCharsets.US_ASCII);
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
    }

    @Test
    @Order(2)
    void anOrderWithoutPatientIdGetsAnErrorAckNamingTheField() throws Exception {
        String ack = gw.send("/e2e/orm-missing-pid3.hl7", StandardCharsets.US_ASCII);
        assertThat(field(ack, "MSA", 1)).as(ack).isIn("AE", "AR");
        assertThat(ack).contains("ERR|").contains("PID");
    }

    @Test
    @Order(3)
    void echoFromAConfiguredStationSucceedsAndAnUnknownCallerIsRejected() throws Exception {
        assertThat(Dcmtk.echo(work, "MR_SIEMENS", "MWLGW", dicomPort).exitCode()).isZero();
        Dcmtk.Run unknown = Dcmtk.echo(work, "INTRUDER", "MWLGW", dicomPort);
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.output()).containsIgnoringCase("Calling AE Title Not Recognized");
    }

    @Test
    @Order(4)
    void siemensStationSeesItsLatin1ItemWithTheProtocolCode() throws Exception {
        List<Dcmtk.Response> items = find("MR_SIEMENS",
                "0008,0005", "0010,0010", "0010,0020", "0010,0030", "0010,0040", "0008,0050", "0020,000D",
                "0040,1001", "0032,1060", "0040,1400",
                "(0040,0100)[0].0040,0001=MR_SIEMENS", "(0040,0100)[0].0008,0060=MR",
                "(0040,0100)[0].0040,0002=" + TestGateway.today(), "(0040,0100)[0].0040,0003",
                "(0040,0100)[0].0040,0009", "(0040,0100)[0].0040,0007",
                "(0040,0100)[0].(0040,0008)[0].0008,0100", "(0040,0100)[0].(0040,0008)[0].0008,0102",
                "(0040,0100)[0].(0040,0008)[0].0008,0104");
        assertThat(items).hasSize(1);
        Dcmtk.Response item = items.get(0);
        assertThat(item.get("0008,0005")).as(item.dump()).isEqualTo("ISO_IR 100");
        assertThat(item.get("0010,0010")).isEqualTo("DUPRÉ^HÉLÈNE");
        // the bytes on the wire are Latin-1: É = 0xC9, È = 0xC8
        assertThat(new String(item.bytes(), StandardCharsets.ISO_8859_1)).contains("DUPRÉ^HÉLÈNE");
        assertThat(item.get("0010,0020")).isEqualTo("PAT1001");
        assertThat(item.get("0010,0030")).isEqualTo("19800115");
        assertThat(item.get("0010,0040")).isEqualTo("F");
        assertThat(item.get("0008,0050")).isEqualTo("ACC1001");
        assertThat(item.get("0040,1001")).isEqualTo("RP1001");
        assertThat(item.get("0020,000D")).isNotBlank();
        assertThat(item.get("0040,0100/0040,0001")).isEqualTo("MR_SIEMENS");
        assertThat(item.get("0040,0100/0008,0060")).isEqualTo("MR");
        assertThat(item.get("0040,0100/0040,0002")).isEqualTo(TestGateway.today());
        assertThat(item.get("0040,0100/0040,0003")).startsWith("0900");
        assertThat(item.get("0040,0100/0040,0009")).isNotBlank();
        assertThat(item.get("0040,0100/0040,0008/0008,0100")).isNotBlank();
        assertThat(item.dump()).contains("OFSEP-ROUTINE");
        assertThat(item.get("0040,0100/0040,0007")).contains("ROUTINE");
        // not requested: not returned
        assertThat(item.has("0010,1030")).isFalse();
    }

    @Test
    @Order(5)
    void philipsStationSeesTheUtf8ItemInIsoIr192() throws Exception {
        List<Dcmtk.Response> items = find("MR_PHILIPS", "0008,0005", "0010,0010", "0008,0050=ACC1002",
                "(0040,0100)[0].0040,0001", "(0040,0100)[0].(0040,0008)[0].0008,0100");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("0008,0005")).isEqualTo("ISO_IR 192");
        assertThat(items.get(0).get("0010,0010")).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(new String(items.get(0).bytes(), StandardCharsets.UTF_8)).contains("DUPRÉ^HÉLÈNE");
        assertThat(items.get(0).dump()).contains("OFSEP-FULL-GD");
    }

    @Test
    @Order(6)
    void eachVendorsStationReadsItsOwnCodeFirstThenTheOfsepCode() throws Exception {
        String[][] expected = {
            {"MR_SIEMENS", "OFSEP_FULL_GD", "99SIEMENS"},
            {"MR_GE", "OFSEPFULLGD", "99GEMS"},
            {"MR_PHILIPS", "OFSEP_FULL_GD", "99PHILIPS"},
            {"MR_CANON", "OFSEP-FULL-GD", "99CANON"}};
        for (String[] station : expected) {
            List<Dcmtk.Response> items = find(station[0], "0008,0050=ACC1002",
                    "(0040,0100)[0].(0040,0008)[0].0008,0100", "(0040,0100)[0].(0040,0008)[0].0008,0102",
                    "(0040,0100)[0].(0040,0008)[0].0008,0104", "(0040,0100)[0].0032,1070", "0010,2000");
            assertThat(items).as(station[0]).hasSize(1);
            Dcmtk.Response item = items.get(0);
            // the first code item is the vendor's, the OFSEP default follows
            assertThat(item.get("0040,0100/0040,0008/0008,0100")).as(station[0]).isEqualTo(station[1]);
            assertThat(item.get("0040,0100/0040,0008/0008,0102")).as(station[0]).isEqualTo(station[2]);
            assertThat(item.dump()).contains("[OFSEP-FULL-GD]").contains("[99OFSEP]");
            assertThat(item.get("0040,0100/0032,1070")).contains("gadobutrol").contains("6.0 mL");
        }
    }

    @Test
    @Order(6)
    void matchingByWildcardNamePatientIdAndDateRange() throws Exception {
        assertThat(find("MR_GE", "0010,0010=DUP*", "0008,0050")).extracting(r -> r.get("0008,0050"))
                .containsExactlyInAnyOrder("ACC1001", "ACC1002");
        assertThat(find("MR_GE", "0010,0010=?ARTIN^PAUL", "0008,0050")).hasSize(1);
        assertThat(find("MR_GE", "0010,0020=PAT1003", "0008,0050")).extracting(r -> r.get("0008,0050"))
                .containsExactly("ACC1003");
        String today = TestGateway.today();
        assertThat(find("MR_GE", "0008,0050", "(0040,0100)[0].0040,0002=" + today + "-" + today)).hasSize(3);
        assertThat(find("MR_GE", "0008,0050", "(0040,0100)[0].0040,0002=19990101-19991231")).isEmpty();
        // the knee MRI is not an MS order: it carries the RIS's own code
        List<Dcmtk.Response> knee = find("MR_GE", "0008,0050=ACC1003", "(0040,0100)[0].(0040,0008)[0].0008,0100");
        assertThat(knee.get(0).get("0040,0100/0040,0008/0008,0100")).isEqualTo("24857-5");
    }

    @Test
    @Order(7)
    void aMappingEditIsLiveForNewOrdersAndABadEditIsRefused() throws Exception {
        Path mapping = gw.configDir.resolve("mapping.yaml");
        String good = Files.readString(mapping);
        Files.writeString(mapping, good.replace("value: OFSEP_ROUTINE, scheme: 99SIEMENS",
                "value: SITE_ROUTINE, scheme: 99SIEMENS"));
        // the same order sent again (new control ID) refreshes its step with the mapping in force
        String code = null;
        for (int attempt = 0; attempt < 50 && !"SITE_ROUTINE".equals(code); attempt++) {
            Thread.sleep(300);
            String order = TestGateway.message("/e2e/orm-latin1-routine.hl7")
                    .replace("MSG-E2E-0001", "MSG-RELOAD-" + attempt);
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(client.send(order, StandardCharsets.ISO_8859_1), "MSA", 1)).isEqualTo("AA");
            }
            code = find("MR_SIEMENS", "0008,0050=ACC1001", "(0040,0100)[0].(0040,0008)[0].0008,0100").get(0)
                    .get("0040,0100/0040,0008/0008,0100");
        }
        assertThat(code).isEqualTo("SITE_ROUTINE");

        Files.writeString(mapping, good.replace("aeTitle: MR_GE", "aeTitle: MR_SIEMENS"));
        String health = awaitHealth("DEGRADED");
        assertThat(health).contains("mapping.yaml").containsIgnoringCase("duplicate");
        // the last good mapping keeps running: MR_GE is still a station
        assertThat(Dcmtk.echo(work, "MR_GE", "MWLGW", dicomPort).exitCode()).isZero();
        Files.writeString(mapping, good);
        awaitHealth("\"UP\"");
    }

    /** Polls /health (bounded) until it contains {@code text}. */
    private String awaitHealth(String text) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port + "/health"))
                .build();
        String body = "";
        for (int attempt = 0; attempt < 75; attempt++) {
            body = http.send(rq, HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(text)) {
                return body;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("health never showed " + text + ": " + body);
    }

    @Test
    @Order(8)
    void aCancelRemovesTheItem() throws Exception {
        String ack = gw.send("/e2e/orm-cancel-1001.hl7", StandardCharsets.ISO_8859_1);
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
        assertThat(find("MR_SIEMENS", "0008,0050=ACC1001")).isEmpty();
        assertThat(find("MR_PHILIPS", "0008,0050=ACC1002")).hasSize(1);
    }

    @Test
    @Order(10)
    void noPatientDataIsLoggedAtInfoOrAbove() {
        List<ch.qos.logback.classic.spi.ILoggingEvent> events;
        synchronized (logged) { // AppenderBase.doAppend holds the appender's lock while it adds
            events = new java.util.ArrayList<>(logged.list);
        }
        List<String> infoAndAbove = events.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(infoAndAbove).isNotEmpty();
        for (String phi : List.of("DUPR", "HÉLÈNE", "HELENE", "PAT1001", "PAT1002", "PAT1003", "MARTIN", "19800115",
                "19920304")) {
            assertThat(infoAndAbove).as(phi).noneMatch(m -> m.toUpperCase().contains(phi));
        }
    }

    @Test
    @Order(9)
    void acknowledgedOrdersSurviveARestart() throws Exception {
        gw.stop();
        gw.start();
        assertThat(find("MR_PHILIPS", "0008,0050=ACC1002", "0010,0010")).extracting(r -> r.get("0010,0010"))
                .containsExactly("DUPRÉ^HÉLÈNE");
        assertThat(find("MR_SIEMENS", "0008,0050=ACC1001")).isEmpty();
    }
}
