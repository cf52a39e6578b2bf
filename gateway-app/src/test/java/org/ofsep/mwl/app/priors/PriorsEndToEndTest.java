package org.ofsep.mwl.app.priors;

import org.ofsep.mwl.app.support.MppsMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.priors.SyntheticStudies.series;
import static org.ofsep.mwl.app.priors.SyntheticStudies.study;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.store.priors.JdbcRedecisions;

/**
 * Issue 13 end to end: a follow-up order that carries no prior information reaches the console as FULL with Gd,
 * then, once Orthanc (the PACS) has answered, as ROUTINE without Gd with the PACS study named in the reasons, as
 * findscu sees it; and every failure mode keeps the intake decision and says why.
 */
class PriorsEndToEndTest {

    static final LocalDate TODAY = LocalDate.now();

    @TempDir
    static Path dir;
    static OrthancPeer orthanc;
    static SyntheticStudies.Study brain3d;
    static SyntheticStudies.Study brain2d;

    @BeforeAll
    static void pacs() throws Exception {
        brain3d = study("PAT2001", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t1_mprage_sag_p2_iso", "t1_mprage", "3D", "BRAIN", "SIEMENS"),
                series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"));
        brain2d = study("PAT2002", TODAY.minusMonths(8), "IRM cérébrale",
                series("AX T2 FLAIR", "AX FLAIR", "2D", "HEAD", "GE MEDICAL SYSTEMS"));
        List<SyntheticStudies.Study> all = List.of(brain3d, brain2d,
                study("PAT2001", TODAY.minusYears(1).minusDays(2), "IRM médullaire", series("sag T2", "sag T2", "2D", "CSPINE", "SIEMENS")),
                study("PAT2001", TODAY.minusMonths(3), "IRM genou", series("PD FS", "PD", "2D", "KNEE", "SIEMENS")),
                // another patient with a comparable prior: must never count for PAT2003
                study("PAT2003X", TODAY.minusMonths(6), "IRM cérébrale", series("Sag CUBE FLAIR", "CUBE", "3D", "BRAIN", "GE")));
        orthanc = OrthancPeer.start(dir.resolve("orthanc"));
        orthanc.load(SyntheticStudies.write(dir.resolve("files"), all));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    static TestGateway gateway(Path work, String source, int port, int timeoutSeconds) throws Exception {
        return gateway(work, source, port, timeoutSeconds, p -> { });
    }

    /** The same gateway with more priors settings ({@code more} changes the config's priors section). */
    static TestGateway gateway(Path work, String source, int port, int timeoutSeconds,
                               java.util.function.Consumer<org.ofsep.mwl.app.GatewayConfig.Priors> more) throws Exception {
        TestGateway gw = new TestGateway(work);
        more.accept(gw.config.priors);
        gw.config.priors.source = source;
        gw.config.priors.dimse.host = "127.0.0.1";
        gw.config.priors.dimse.port = port;
        gw.config.priors.dimse.calledAeTitle = "ORTHANC";
        gw.config.priors.dicomweb.url = orthanc.dicomWebUrl();
        gw.config.priors.timeoutSeconds = timeoutSeconds;
        return gw.start();
    }

    static String send(TestGateway gw, String patientId, String placer) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-" + placer)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", "A" + placer).replace("PAT2001", patientId);
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            String ack = client.send(msg, StandardCharsets.UTF_8);
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            return ack;
        }
    }

    /** What the Siemens console sees for this accession, once the lookups are done. */
    static Dcmtk.Response console(TestGateway gw, Path work, String accession) throws Exception {
        List<Dcmtk.Response> r = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                List.of("0008,0050=" + accession, "0040,1400", "0032,1070", "(0040,0100)[0].0040,0007",
                        "(0040,0100)[0].0040,0001=MR_SIEMENS", "(0040,0100)[0].0040,0002", "(0040,0100)[0].Modality"));
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    static Dcmtk.Response awaitConsole(TestGateway gw, Path work, String accession, String spsDescContains)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Dcmtk.Response r;
        do {
            r = console(gw, work, accession);
            if (r.get("0040,0100/0040,0007") != null && r.get("0040,0100/0040,0007").contains(spsDescContains)) {
                return r;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return r;
    }

    static String http(TestGateway gw, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gw.config.http.port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void routineWithoutGdFoundThroughThePacsAloneSeenByFindscu(@TempDir Path work) throws Exception {
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 5)) {
            long t0 = System.nanoTime();
            send(gw, "PAT2001", "PLP1");
            long ackMillis = (System.nanoTime() - t0) / 1_000_000;
            WorklistItem intake = gw.gateway().worklist().findByAccession("APLP1").get(0);
            // the ACK follows the intake decision (no prior known yet): FULL with Gd
            Dcmtk.Response seen = awaitConsole(gw, work, "APLP1", "ROUTINE");
            long seenMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
            assertThat(seen.has("0032,1070") && seen.get("0032,1070") != null && !seen.get("0032,1070").isBlank())
                    .as("no contrast agent requested: " + seen.dump()).isFalse();
            assertThat(seen.dump()).contains(brain3d.uid()).contains("IRM ENCEPHALE SEP")
                    .contains("t2_spc_da-fl_sag_p2_iso");
            assertThat(seenMillis).as("ROUTINE reached the console within seconds").isLessThan(10_000);
            assertThat(ackMillis).isLessThan(5_000);

            WorklistItem now = gw.gateway().worklist().findByAccession("APLP1").get(0);
            assertThat(now.decision().rule().name()).isEqualTo("ROUTINE_FOLLOW_UP");
            assertThat(now.decision().facts()).anyMatch(x -> x.name().equals("priorBrainMri") && x.source().startsWith("PACS")
                    && x.text().contains(brain3d.uid()));
            assertThat(now.decision().contrast()).isFalse();
            assertThat(now.decision().spineDue()).as("the spine MRI of last year is in the PACS").isFalse();
            assertThat(now.decision().reasons().get(1)).startsWith("Priors checked at ").contains(brain3d.uid());
            List<JdbcRedecisions.HistoryEntry> history = gw.gateway().redecisions().history(now.id());
            assertThat(history).hasSize(1);
            assertThat(history.get(0).outcome()).isEqualTo("CHANGED");
            assertThat(history.get(0).before().examCard().name()).isEqualTo("FULL");
            assertThat(history.get(0).before().contrast()).isTrue();
            assertThat(history.get(0).after().examCard().name()).isEqualTo("ROUTINE");
            assertThat(intake.id()).isEqualTo(now.id());

            var health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http(gw, "/health"));
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("priors").path("state").asText()).isEqualTo("UP");
            assertThat(health.path("priors").path("source").asText()).contains("ORTHANC@127.0.0.1");
            String metrics = http(gw, "/metrics");
            assertThat(metrics).contains("mwl_priors_lookup_seconds_count{outcome=\"ok\"")
                    .contains("mwl_priors_redecisions_total{kind=\"CHANGED\"");
            var hist = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http(gw, "/api/history?accession=APLP1"));
            assertThat(hist.path("steps").get(0).path("history").get(0).path("outcome").asText()).isEqualTo("CHANGED");
            assertThat(hist.path("steps").get(0).path("history").get(0).path("after").path("examCard").asText())
                    .isEqualTo("ROUTINE");
            String board = http(gw, "/api/worklist?date=" + TODAY);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(board).path("items").get(0)
                    .path("priors").asText()).startsWith("Priors checked at ").contains(brain3d.uid());
        }
    }

    @Test
    void dicomWebFindsItToo(@TempDir Path work) throws Exception {
        try (TestGateway gw = gateway(work, "dicomweb", 0, 5)) {
            send(gw, "PAT2001", "PLW1");
            Dcmtk.Response seen = awaitConsole(gw, work, "APLW1", "ROUTINE");
            assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
            assertThat(seen.dump()).contains(brain3d.uid()).contains("DICOMweb");
        }
    }

    @Test
    void aTwoDOnlyPriorAndAnotherPatientsPriorDoNotCount(@TempDir Path work) throws Exception {
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 5)) {
            send(gw, "PAT2002", "PLP2");
            send(gw, "PAT2003", "PLP3");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(15))).isTrue();
            WorklistItem twoD = gw.gateway().worklist().findByAccession("APLP2").get(0);
            assertThat(twoD.decision().examCard().name()).isEqualTo("FULL");
            assertThat(twoD.decision().contrast()).isTrue();
            assertThat(twoD.decision().rule().name()).isEqualTo("NO_COMPARABLE_PRIOR");
            assertThat(String.join("\n", twoD.decision().reasons())).contains(brain2d.uid())
                    .contains("has no 3D FLAIR series").contains("did not follow the standardized protocol");
            WorklistItem other = gw.gateway().worklist().findByAccession("APLP3").get(0);
            assertThat(other.decision().contrast()).isTrue();
            assertThat(String.join("\n", other.decision().reasons())).contains("no brain MRI of this patient");
            Dcmtk.Response seen = console(gw, work, "APLP3");
            assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("FULL");
            assertThat(seen.dump()).contains("no brain MRI of this patient");
        }
    }

    @Test
    void aPacsThatIsDownLeavesTheIntakeDecisionAndSaysWhy(@TempDir Path work) throws Exception {
        int closed = TestGateway.freePort();
        try (TestGateway gw = gateway(work, "dimse", closed, 2)) {
            send(gw, "PAT2001", "PLD1");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(15))).isTrue();
            WorklistItem item = gw.gateway().worklist().findByAccession("APLD1").get(0);
            assertThat(item.decision().examCard().name()).isEqualTo("FULL");
            assertThat(item.decision().contrast()).isTrue();
            assertThat(item.decision().reasons().get(1)).startsWith("Priors not checked: the PACS")
                    .contains("could not be asked").contains("refused");
            Dcmtk.Response seen = console(gw, work, "APLD1");
            assertThat(seen.dump()).contains("could not be asked");
            var health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http(gw, "/health"));
            assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(health.path("priors").path("state").asText()).isEqualTo("DOWN");
            assertThat(health.path("priors").path("lastError").asText()).contains("refused");
            assertThat(http(gw, "/metrics")).contains("mwl_priors_lookups_total{outcome=\"failed\"");
            List<JdbcRedecisions.HistoryEntry> h = gw.gateway().redecisions().history(item.id());
            assertThat(h).hasSize(1);
            assertThat(h.get(0).outcome()).isEqualTo("NOTED");
        }
    }

    @Test
    void aSlowPacsPastTheTimeoutNeitherSlowsTheAckNorChangesTheDecision(@TempDir Path work) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            try (TestGateway gw = gateway(work, "dimse", silent.getLocalPort(), 1)) {
                long t0 = System.nanoTime();
                send(gw, "PAT2001", "PLS1");
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ACK not held by the PACS").isLessThan(1_000);
                assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(15))).isTrue();
                WorklistItem item = gw.gateway().worklist().findByAccession("APLS1").get(0);
                assertThat(item.decision().contrast()).isTrue();
                assertThat(item.decision().reasons().get(1)).contains("could not be asked").contains("1 s");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void lookupsPendingAtAStopAreDoneAfterTheRestart(@TempDir Path work) throws Exception {
        TestGateway gw = new TestGateway(work);
        try (TcpGate gate = new TcpGate(orthanc.dicomPort)) {
            gw.config.priors.source = "dimse";
            gw.config.priors.dimse.host = "127.0.0.1";
            gw.config.priors.dimse.port = gate.port(); // the PACS never answers before the stop
            gw.config.priors.dimse.calledAeTitle = "ORTHANC";
            gw.config.priors.timeoutSeconds = 2;
            gw.config.priors.maxConcurrent = 1; // the second order's lookup waits behind the first
            gw.config.priors.retryAfterSeconds = 1;
            gw.start();
            send(gw, "PAT2001", "PLK1");
            send(gw, "PAT2001", "PLK2");
            for (String acc : List.of("APLK1", "APLK2")) {
                WorklistItem intake = gw.gateway().worklist().findByAccession(acc).get(0);
                assertThat(intake.decision().examCard().name()).isEqualTo("FULL");
                assertThat(intake.decision().contrast()).isTrue();
            }
            // stopped while the first lookup waits for the PACS and the second waits for its turn
            gw.stop();
        }
        // started again with the PACS reachable: both lookups are taken up from the database
        gw.config.priors.dimse.port = orthanc.dicomPort;
        gw.start();
        try {
            for (String acc : List.of("APLK1", "APLK2")) {
                Dcmtk.Response seen = awaitConsole(gw, work, acc, "ROUTINE");
                assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
                assertThat(seen.dump()).contains(brain3d.uid());
                WorklistItem now = gw.gateway().worklist().findByAccession(acc).get(0);
                assertThat(now.decision().contrast()).isFalse();
                List<JdbcRedecisions.HistoryEntry> h = gw.gateway().redecisions().history(now.id());
                assertThat(h).isNotEmpty();
                assertThat(h.get(h.size() - 1).outcome()).isEqualTo("CHANGED");
                assertThat(h.get(h.size() - 1).after().examCard().name()).isEqualTo("ROUTINE");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gw.gateway().priors().health().get("pending") instanceof Integer n && n > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(gw.gateway().priors().health().get("pending")).as("nothing left to look up").isEqualTo(0);
            assertThat(http(gw, "/metrics")).contains("mwl_priors_lookups_pending");
        } finally {
            gw.close();
        }
    }

    @Test
    void aPacsAnsweringEachSeriesQueryLateIsLeftAtTheTimeoutOfTheWholeLookup(@TempDir Path work) throws Exception {
        // PAT2001 has 3 MR studies: each SERIES answer 1.2 s late stays within 2 s, the three together do not
        try (SlowSeriesRelay slow = new SlowSeriesRelay(orthanc.dicomPort, 1200);
             TestGateway gw = gateway(work, "dimse", slow.port(), 2)) {
            long t0 = System.nanoTime();
            send(gw, "PAT2001", "PLT1");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(15))).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            WorklistItem item = gw.gateway().worklist().findByAccession("APLT1").get(0);
            assertThat(item.decision().examCard().name()).isEqualTo("FULL");
            assertThat(item.decision().contrast()).isTrue();
            assertThat(item.decision().reasons().get(1)).startsWith("Priors not checked: the PACS")
                    .contains("could not be asked").contains("no complete answer within 2 s");
            assertThat(ms).as("the lookup gave up at its 2 s timeout (3.6 s of answers)").isLessThan(3_500);
            Dcmtk.Response seen = console(gw, work, "APLT1");
            assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("FULL");
            assertThat(http(gw, "/metrics")).contains("mwl_priors_lookups_total{outcome=\"failed\"");
        }
    }

    @Test
    void aFreshCachedPacsAnswerDecidesAtIntakeForASecondOrderAndAnXo(@TempDir Path work) throws Exception {
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 5)) {
            send(gw, "PAT2001", "PLC1");
            assertThat(awaitConsole(gw, work, "APLC1", "ROUTINE").get("0040,0100/0040,0007")).contains("ROUTINE");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            WorklistItem first = gw.gateway().worklist().findByAccession("APLC1").get(0);
            assertThat(gw.gateway().redecisions().history(first.id())).hasSize(1);

            // a second order of the same patient within the cache lifetime: ROUTINE in the very commit the ACK
            // follows, from the cached answer (the HL7 thread never asked the PACS), not FULL for a moment
            send(gw, "PAT2001", "PLC2");
            WorklistItem second = gw.gateway().worklist().findByAccession("APLC2").get(0);
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(gw.gateway().redecisions().history(second.id()))
                    .as("the intake decision was already the PACS-informed one: the lookup after it changed nothing")
                    .isEmpty();
            WorklistItem now = gw.gateway().worklist().findByAccession("APLC2").get(0);
            assertThat(now.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(now.decision().contrast()).isFalse();
            assertThat(now.decision().reasons().get(1)).startsWith("Priors checked at ").contains(brain3d.uid());
            assertThat(now.decision().facts()).anyMatch(x -> x.name().equals("priorBrainMri")
                    && x.source().startsWith("PACS") && x.text().contains(brain3d.uid()));
            assertThat(console(gw, work, "APLC2").get("0040,0100/0040,0007")).contains("ROUTINE");

            // an XO of the first order (moved to 15:30): decided again at intake, with the cached answer
            String xo = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLC1-XO")
                    .replace("{{PLACER}}", "PLC1").replace("{{ACC}}", "APLC1").replace("ORC|NW|", "ORC|XO|")
                    .replace("1400", "1530");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                String ack = client.send(xo, StandardCharsets.UTF_8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
            WorklistItem moved = gw.gateway().worklist().findByAccession("APLC1").get(0);
            assertThat(moved.scheduledStart().getHour()).isEqualTo(15);
            assertThat(moved.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(gw.gateway().redecisions().history(first.id())).as("no FULL in between").hasSize(1);
            assertThat(http(gw, "/metrics")).contains("mwl_priors_lookups_total{outcome=\"cached_at_intake\"");
        }
    }

    /**
     * A change (XO) after the cached answer has expired keeps the PACS answer its step was decided with until the
     * lookup after the ACK answers: it was decided without it (FULL with Gd on the console until the lookup, and for
     * as long as the PACS was down), though the PACS had found a comparable prior (found by an independent review).
     */
    @Test
    void aChangeAfterTheCacheExpiredKeepsThePacsAnswerOfItsStep(@TempDir Path work) throws Exception {
        // every answer expired at once
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 5, p -> p.cacheMinutes = 0)) {
            send(gw, "PAT2001", "PLE1");
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            WorklistItem first = gw.gateway().worklist().findByAccession("APLE1").get(0);
            assertThat(first.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(gw.gateway().redecisions().history(first.id())).hasSize(1);
            String xo = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLE1-XO")
                    .replace("{{PLACER}}", "PLE1").replace("{{ACC}}", "APLE1").replace("ORC|NW|", "ORC|XO|")
                    .replace("1400", "1530");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(client.send(xo, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            WorklistItem moved = gw.gateway().worklist().findByAccession("APLE1").get(0);
            assertThat(moved.scheduledStart().getHour()).isEqualTo(15);
            assertThat(moved.decision().examCard().name()).as("at the ACK").isEqualTo("ROUTINE");
            assertThat(moved.decision().contrast()).isFalse();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            // the lookup after the XO only wrote its new "Priors checked at" line (NOTED): no FULL in between
            assertThat(gw.gateway().redecisions().history(first.id())).as("no FULL in between")
                    .filteredOn(h -> h.outcome().equals("CHANGED")).hasSize(1);
        }
    }

    @Test
    void whileOrdersArriveInBulkTheLookupsYieldToIntakeAndCatchUpAfter(@TempDir Path work) throws Exception {
        TestGateway gw = new TestGateway(work);
        try (TcpGate gate = new TcpGate(orthanc.dicomPort)) {
            gw.config.priors.source = "dimse";
            gw.config.priors.dimse.host = "127.0.0.1";
            gw.config.priors.dimse.port = gate.port(); // the PACS does not answer until the gate opens
            gw.config.priors.dimse.calledAeTitle = "ORTHANC";
            gw.config.priors.timeoutSeconds = 20;
            gw.config.priors.maxConcurrent = 4;
            gw.config.priors.busyConcurrent = 0; // the default: no lookup starts during a burst
            gw.config.priors.busyOrders = 2; // a burst: 2 orders within the window (5 by default)
            gw.config.priors.busyWindowMillis = 2500;
            gw.start();
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            // one order on a quiet gateway: looked up at once
            send(gw, "PAT2001", "PLY1");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (gate.accepted() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(gate.accepted()).as("a single order's lookup starts at once").isEqualTo(1);
            // two more at once: a burst; their lookups wait (durable, claimed) while it lasts
            long t0 = System.nanoTime();
            send(gw, "PAT2001", "PLY2");
            send(gw, "PAT2001", "PLY3");
            var priors = mapper.readTree(http(gw, "/health")).path("priors");
            assertThat(priors.path("mode").asText()).isEqualTo("YIELDING_TO_INTAKE");
            assertThat(priors.path("concurrency").asInt()).isZero();
            assertThat(priors.path("pending").asInt()).isEqualTo(3);
            Thread.sleep(300);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("still within the window").isLessThan(2_000);
            assertThat(gate.accepted()).as("no lookup starts during the burst").isEqualTo(1);
            assertThat(http(gw, "/metrics")).contains("mwl_priors_yielding 1.0");
            // the burst is over (fewer than busyOrders in the window): the waiting lookups run at maxConcurrent
            deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (gate.accepted() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(gate.accepted()).as("all three at the PACS once the burst is over").isEqualTo(3);
            priors = mapper.readTree(http(gw, "/health")).path("priors");
            assertThat(priors.path("mode").asText()).isEqualTo("FULL");
            assertThat(priors.path("concurrency").asInt()).isEqualTo(4);
            String metrics = http(gw, "/metrics");
            assertThat(metrics).contains("mwl_priors_yielding 0.0")
                    .contains("mwl_priors_lookups_started_total{mode=\"yielding\"} 0.0")
                    .contains("mwl_priors_lookups_started_total{mode=\"full\"} 3.0");
            gate.open();
            for (int i = 1; i <= 3; i++) {
                assertThat(awaitConsole(gw, work, "APLY" + i, "ROUTINE").get("0040,0100/0040,0007")).contains("ROUTINE");
            }
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
        } finally {
            gw.close();
        }
    }

    @Test
    void beyondTheQueueSizeALookupWaitsInTheDatabaseAndIsDoneWhenThereIsRoom(@TempDir Path work) throws Exception {
        TestGateway gw = new TestGateway(work);
        try (TcpGate gate = new TcpGate(orthanc.dicomPort)) {
            gw.config.priors.source = "dimse";
            gw.config.priors.dimse.host = "127.0.0.1";
            gw.config.priors.dimse.port = gate.port(); // the PACS does not answer while the orders arrive
            gw.config.priors.dimse.calledAeTitle = "ORTHANC";
            gw.config.priors.timeoutSeconds = 10;
            gw.config.priors.maxConcurrent = 1;
            gw.config.priors.queueSize = 1;
            gw.start();
            send(gw, "PAT2001", "PLQ1");
            // one lookup already waits: this one waits in the database (its ACK is not held), counted as deferred
            send(gw, "PAT2001", "PLQ2");
            assertThat(http(gw, "/metrics")).contains("mwl_priors_lookups_total{outcome=\"deferred\"} 1.0");
            WorklistItem second = gw.gateway().worklist().findByAccession("APLQ2").get(0);
            assertThat(second.decision().contrast()).as("the intake decision until the PACS answers").isTrue();
            gate.open();
            // both are looked up once the PACS answers: none is dropped
            assertThat(awaitConsole(gw, work, "APLQ1", "ROUTINE").get("0040,0100/0040,0007")).contains("ROUTINE");
            assertThat(awaitConsole(gw, work, "APLQ2", "ROUTINE").get("0040,0100/0040,0007")).contains("ROUTINE");
            assertThat(gw.gateway().redecisions().history(second.id())).hasSize(1);
            assertThat(http(gw, "/metrics")).doesNotContain("outcome=\"skipped\"");
        } finally {
            gw.close();
        }
    }

    @Test
    void aStepAlreadyStartedIsNotChangedWhenThePacsAnswersLate(@TempDir Path work) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort); TestGateway gw = gateway(work, "dimse", gate.port(), 10)) {
            send(gw, "PAT2001", "PLG1");
            WorklistItem item = gw.gateway().worklist().findByAccession("APLG1").get(0);
            assertThat(item.decision().contrast()).isTrue();
            // the console starts the exam before the PACS answers
            try (DicomClient console = DicomClient.connect("127.0.0.1", gw.config.dicom.port, "MR_SIEMENS", "MWLGW",
                    List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
                assertThat(console.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, SyntheticStudies.uid(),
                        inProgress(item)).status()).isZero();
                console.release();
            }
            gate.open();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem after = gw.gateway().worklist().findByAccession("APLG1").get(0);
            assertThat(after.status().name()).isEqualTo("STARTED");
            assertThat(after.decision()).isEqualTo(item.decision());
            assertThat(gw.gateway().redecisions().history(item.id())).isEmpty();
        }
    }

    @Test
    void aConfirmedDecisionThePacsChangesGoesBackToReviewAndIsNotReplaced(@TempDir Path work) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort); TestGateway gw = gateway(work, "dimse", gate.port(), 10)) {
            send(gw, "PAT2001", "PLR1");
            WorklistItem item = gw.gateway().worklist().findByAccession("APLR1").get(0);
            assertThat(item.decision().contrast()).isTrue();
            // a radiologist confirms the FULL with Gd before the PACS answers
            var confirmed = gw.gateway().reviews().act(new org.ofsep.mwl.store.service.JdbcReviewService.Action(
                    "dr.house", org.ofsep.mwl.core.review.Role.RADIOLOGIST, "127.0.0.1", "APLR1", null, "CONFIRM",
                    null, null, null, "Gd wanted by the neurologist", 1));
            assertThat(confirmed.state().name()).isEqualTo("CONFIRMED");
            gate.open();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem after = gw.gateway().worklist().findByAccession("APLR1").get(0);
            // the automatic ROUTINE does not replace the person's decision silently: it goes back to review
            var review = gw.gateway().reviews().list(TODAY, null, true).stream()
                    .filter(r -> "APLR1".equals(r.item().accessionNumber())).findFirst().orElseThrow();
            assertThat(review.state().name()).isEqualTo("TO_REVIEW");
            assertThat(String.join(" ", review.why())).contains("CHANGED_AFTER_REVIEW").contains("PACS priors");
            assertThat(review.rules().examCard().name()).isEqualTo("ROUTINE");
            assertThat(after.status().name()).isEqualTo("SCHEDULED");
            // and while it waits the console keeps the Gd the radiologist confirmed (found by an independent review:
            // it received the automatic ROUTINE without Gd, with nothing saying a radiologist had to look again)
            assertThat(after.decision().examCard().name()).isEqualTo("FULL");
            assertThat(after.decision().contrast()).isTrue();
            // its priors line says what the PACS answered (it kept "could not be asked" on reviewed steps)
            assertThat(after.decision().reasons()).anyMatch(r -> r.startsWith("Priors checked at "))
                    .noneMatch(r -> r.startsWith("Priors not checked: "));
            List<JdbcRedecisions.HistoryEntry> h = gw.gateway().redecisions().history(item.id());
            assertThat(h).hasSize(1);
            assertThat(h.get(0).before().examCard().name()).isEqualTo("FULL");
            assertThat(h.get(0).after().examCard().name()).isEqualTo("ROUTINE");
        }
    }

    /**
     * The exam's own study, with the Study Instance UID the gateway generated, is never its own prior: a lookup that
     * reaches the PACS after the console sent the exam's images (the PACS slow, a retry, a console without MPPS)
     * found it, today, with its 3D FLAIR, and took the Gd away from the very exam (found by an independent review).
     */
    @Test
    void theExamsOwnStudyIsNotItsPrior(@TempDir Path work) throws Exception {
        ownStudyIsNotAPrior(work, "PAT2010", "PLO1", false);
    }

    /**
     * The exam's own study under a Study Instance UID the console made (not the worklist's), found by the order's
     * accession number: it was taken as the exam's comparable prior and the Gd went (found by an independent
     * review).
     */
    @Test
    void theExamsOwnStudyUnderAnotherUidIsKnownByItsAccession(@TempDir Path work) throws Exception {
        ownStudyIsNotAPrior(work, "PAT2011", "PLO2", true);
    }

    /**
     * The console performs the exam and stores it before the PACS answers the lookup (under the worklist's Study
     * Instance UID, or under one of its own with the order's accession): the exam keeps its Gd.
     */
    private void ownStudyIsNotAPrior(Path work, String patient, String placer, boolean consoleUid) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort); TestGateway gw = gateway(work, "dimse", gate.port(), 10)) {
            send(gw, patient, placer);
            WorklistItem item = gw.gateway().worklist().findByAccession("A" + placer).get(0);
            assertThat(item.decision().contrast()).isTrue();
            orthanc.load(SyntheticStudies.write(work.resolve("own"), List.of(new SyntheticStudies.Study(patient, null,
                    TODAY, "IRM ENCEPHALE SEP", consoleUid ? SyntheticStudies.uid() : item.studyInstanceUid(), List.of(
                            series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS")),
                    consoleUid ? "A" + placer : null))));
            gate.open();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem after = gw.gateway().worklist().findByAccession("A" + placer).get(0);
            assertThat(after.decision().examCard().name()).isEqualTo("FULL");
            assertThat(after.decision().contrast()).isTrue();
            assertThat(String.join(" ", after.decision().reasons())).doesNotContain(item.studyInstanceUid());
        }
    }

    /**
     * A change (XO) that arrives while the order's first lookup waits for the PACS supersedes it: the XO said NEW_DMT
     * (Gd for the new baseline); the NW's lookup, answered later, decided again from the NW's follow-up and took
     * the Gd away (found by an independent review).
     */
    @Test
    void aChangeWhileTheLookupWaitsSupersedesIt(@TempDir Path work) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort); TestGateway gw = gateway(work, "dimse", gate.port(), 10)) {
            send(gw, "PAT2001", "PLX1");
            String xo = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLX1-XO")
                    .replace("{{PLACER}}", "PLX1").replace("{{ACC}}", "APLX1").replace("ORC|NW|", "ORC|XO|")
                    .replace("||FOLLOW_UP", "||NEW_DMT");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                String ack = client.send(xo, StandardCharsets.UTF_8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
            gate.open();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem after = gw.gateway().worklist().findByAccession("APLX1").get(0);
            assertThat(after.decision().rule().name()).isEqualTo("NEW_DMT");
            assertThat(after.decision().contrast()).isTrue();
            assertThat(http(gw, "/metrics")).contains("kind=\"SUPERSEDED\"");
        }
    }

    /**
     * ADT^A40 merges the order's patient (PAT2050, nothing in the PACS) into PAT2001, whose comparable prior the PACS
     * holds, while the order's lookup waits (the PACS was down at its first attempt): the lookup is asked again at
     * once under the survivor's ID and the prior takes the Gd away. The merge started no lookup: the waiting one was
     * asked under the merged ID at its next attempt and the step kept its Gd.
     */
    @Test
    void aMergeAsksTheWaitingLookupAgainUnderTheSurvivingId(@TempDir Path work) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort);
             TestGateway gw = gateway(work, "dimse", gate.port(), 1, p -> p.retryAfterSeconds = 120)) {
            send(gw, "PAT2050", "PLM1");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            WorklistItem before;
            do { // the first attempt times out (the PACS holds the association): the intake decision stays, noted
                Thread.sleep(100);
                before = gw.gateway().worklist().findByAccession("APLM1").get(0);
            } while (before.decision().reasons().stream().noneMatch(r -> r.startsWith("Priors not checked"))
                    && System.nanoTime() < deadline);
            assertThat(before.decision().reasons()).anyMatch(r -> r.startsWith("Priors not checked"));
            assertThat(before.decision().contrast()).isTrue();
            gate.open();
            String a40 = "MSH|^~\\&|ADT|CHU|MWLGW|CHU|20261125092000||ADT^A40|MSG-PLM1-A40|P|2.5||||||UNICODE UTF-8\r"
                    + "EVN|A40|20261125092000\r"
                    + "PID|1||PAT2001^^^CHU^PI||LEFÈVRE^CHLOÉ||19850610|F\r"
                    + "MRG|PAT2050^^^CHU^PI\r";
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                String ack = client.send(a40, StandardCharsets.UTF_8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            WorklistItem after;
            do {
                Thread.sleep(200);
                after = gw.gateway().worklist().findByAccession("APLM1").get(0);
            } while (after.decision().contrast() && System.nanoTime() < deadline);
            assertThat(after.patient().id()).isEqualTo("PAT2001");
            assertThat(after.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(after.decision().contrast()).isFalse();
            assertThat(String.join(" ", after.decision().reasons())).contains(brain3d.uid());
        }
    }

    /**
     * A lookup the PACS does not answer is not given up after its retries while the exam is still to come: a PACS
     * down for the night is asked again in the morning (it was dropped after about three minutes, the intake's Gd
     * kept for good; found by an independent review).
     */
    @Test
    void aLookupIsAskedAgainUntilItsExamAfterItsRetries(@TempDir Path work) throws Exception {
        try (TcpGate gate = new TcpGate(orthanc.dicomPort)) {
            TestGateway gw = new TestGateway(work);
            gw.config.priors.source = "dimse";
            gw.config.priors.dimse.host = "127.0.0.1";
            gw.config.priors.dimse.port = gate.port(); // holds every association: each attempt times out
            gw.config.priors.dimse.calledAeTitle = "ORTHANC";
            gw.config.priors.timeoutSeconds = 1;
            gw.config.priors.retries = 1;
            gw.config.priors.retryAfterSeconds = 1;
            try (org.ofsep.mwl.app.support.LogCapture logged = org.ofsep.mwl.app.support.LogCapture.of(
                    PriorLookups.class); TestGateway started = gw.start()) {
                String today = TODAY.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
                String tomorrow = TODAY.plusDays(1).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
                String yesterday = TODAY.minusDays(1).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
                String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLN1")
                        .replace("{{PLACER}}", "PLN1").replace("{{ACC}}", "APLN1").replace(today + "1400",
                                tomorrow + "1400");
                // and one whose exam has begun already: given up after its retries, and said so
                String begun = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLN2")
                        .replace("{{PLACER}}", "PLN2").replace("{{ACC}}", "APLN2").replace(today + "1400",
                                yesterday + "1400");
                try (MllpClient client = new MllpClient("127.0.0.1", started.config.hl7.port)) {
                    assertThat(field(client.send(msg, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
                    assertThat(field(client.send(begun, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
                }
                Thread.sleep(4_000); // the first attempt and its one retry have failed
                assertThat(started.gateway().priors().health().get("pending")).isEqualTo(1);
                assertThat(logged.messages(ch.qos.logback.classic.Level.WARN)).anySatisfy(m -> assertThat(m)
                        .contains("given up after 1 attempt(s): its exam has begun"));
                gate.open();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                WorklistItem now;
                do {
                    Thread.sleep(200);
                    now = started.gateway().worklist().findByAccession("APLN1").get(0);
                } while (now.decision().contrast() && System.nanoTime() < deadline);
                assertThat(now.decision().examCard().name()).isEqualTo("ROUTINE");
                assertThat(now.decision().contrast()).isFalse();
            }
        }
    }

    /**
     * An order refused, then applied by `gateway replay` beside the running gateway, gets its PACS lookup like any
     * other: the replay used the order service without the lookups, and its intake decision (FULL with Gd) stayed
     * although the PACS had a comparable prior (found by an independent review).
     */
    @Test
    void aReplayedOrderIsLookedUpToo(@TempDir Path work) throws Exception {
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 10)) {
            Path yaml = gw.configDir.resolve("gateway.yaml");
            java.nio.file.Files.writeString(yaml, java.nio.file.Files.readString(yaml)
                    .replaceFirst("  source: none[^\n]*", "  source: dimse")
                    .replaceFirst("  dimse: \\{[^\n]*", "  dimse: { host: 127.0.0.1, port: " + orthanc.dicomPort
                            + ", calledAeTitle: ORTHANC, callingAeTitle: MWLGW, tls: false }"));
            Path mapping = gw.configDir.resolve("mapping.yaml");
            String good = java.nio.file.Files.readString(mapping);
            // the order's station below 1.5 T: refused (AE); the mapping fixed afterwards
            java.nio.file.Files.writeString(mapping, good.replaceFirst(
                    "(aeTitle: MR_SIEMENS[\\s\\S]*?fieldStrengthTesla: )3\\.0", "$11.0"));
            awaitStation(gw, 1.0);
            String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLY1")
                    .replace("{{PLACER}}", "PLY1").replace("{{ACC}}", "APLY1");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(client.send(msg, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AE");
            }
            java.nio.file.Files.writeString(mapping, good);
            awaitStation(gw, 3.0);
            Cli failed = cli("messages", "--failed", "--config", gw.configDir.toString(), "--data",
                    gw.dataDir.toString());
            String id = failed.out().lines().filter(l -> l.contains("MSG-PLY1")).findFirst().orElseThrow()
                    .trim().split("\\s+")[0];
            Cli replay = cli("replay", id, "--config", gw.configDir.toString(), "--data",
                    gw.dataDir.toString());
            assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
            assertThat(replay.out()).contains("replayed: AA");
            // the serving gateway's drainer takes the lookup up and decides again with the PACS's prior
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            WorklistItem now;
            do {
                Thread.sleep(200);
                now = gw.gateway().worklist().findByAccession("APLY1").get(0);
            } while (now.decision().contrast() && System.nanoTime() < deadline);
            assertThat(now.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(now.decision().contrast()).isFalse();
            assertThat(String.join(" ", now.decision().reasons())).contains(brain3d.uid());
        }
    }

    private static void awaitStation(TestGateway gw, double tesla) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && gw.gateway().mapping().current().station("MR_SIEMENS").orElseThrow()
                .fieldStrengthTesla() != tesla) {
            Thread.sleep(100);
        }
        assertThat(gw.gateway().mapping().current().station("MR_SIEMENS").orElseThrow().fieldStrengthTesla())
                .isEqualTo(tesla);
    }

    /**
     * An order without an issuer, a Patient ID the PACS holds under two issuers (two hospitals' patients): neither
     * hospital's studies decide, and the reason says so (the line said "no brain MRI" with only the log knowing why).
     */
    @Test
    void withoutAnIssuerTheStudiesOfSeveralIssuersAreSetAsideAndTheReasonSaysSo(@TempDir Path work) throws Exception {
        orthanc.load(SyntheticStudies.write(work.resolve("issuers"), List.of(
                new SyntheticStudies.Study("PAT2020", "CHU", TODAY.minusMonths(9), "IRM ENCEPHALE SEP", SyntheticStudies.uid(),
                        List.of(series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"))),
                new SyntheticStudies.Study("PAT2020", "OTHERHOSP", TODAY.minusMonths(8), "IRM ENCEPHALE",
                        SyntheticStudies.uid(), List.of(series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D",
                        "BRAIN", "SIEMENS"))))));
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 10)) {
            String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLI1")
                    .replace("{{PLACER}}", "PLI1").replace("{{ACC}}", "APLI1")
                    .replace("PAT2001^^^CHU^PI", "PAT2020^^^^PI");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(client.send(msg, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem item = gw.gateway().worklist().findByAccession("APLI1").get(0);
            assertThat(item.decision().contrast()).isTrue();
            assertThat(String.join(" ", item.decision().reasons())).contains("2 other studies set aside")
                    .contains("several issuers");
        }
    }

    /**
     * An order without an issuer on a PACS shared with another hospital, which alone holds studies under this
     * Patient ID: with priors.defaultIssuer the order is the site's patient and the other hospital's 3D FLAIR does
     * not take its Gd away (it did, a single issuer in the answer being taken as the order's; found by an
     * independent review).
     */
    @Test
    void anOrderWithoutIssuerIsTheDefaultIssuersPatient(@TempDir Path work) throws Exception {
        orthanc.load(SyntheticStudies.write(work.resolve("issuer1"), List.of(
                new SyntheticStudies.Study("PAT2021", "OTHERHOSP", TODAY.minusMonths(8), "IRM ENCEPHALE",
                        SyntheticStudies.uid(), List.of(series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D",
                        "BRAIN", "SIEMENS"))))));
        try (TestGateway gw = gateway(work, "dimse", orthanc.dicomPort, 5, p -> p.defaultIssuer = "CHU")) {
            String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-PLI2")
                    .replace("{{PLACER}}", "PLI2").replace("{{ACC}}", "APLI2")
                    .replace("PAT2001^^^CHU^PI", "PAT2021^^^^PI");
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(client.send(msg, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(20))).isTrue();
            WorklistItem item = gw.gateway().worklist().findByAccession("APLI2").get(0);
            assertThat(item.decision().examCard().name()).isEqualTo("FULL");
            assertThat(item.decision().contrast()).isTrue();
        }
    }

    record Cli(int exit, String out, String err) {
    }

    static synchronized Cli cli(String... args) {
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = org.ofsep.mwl.app.GatewayCli.commandLine().execute(args);
            return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path config(Path work, String priorsYaml) throws Exception {
        Path cfg = work.resolve("cfg");
        java.nio.file.Files.createDirectories(cfg);
        java.nio.file.Files.copy(Path.of("../config/mapping.yaml"), cfg.resolve("mapping.yaml"));
        java.nio.file.Files.writeString(cfg.resolve("gateway.yaml"), priorsYaml);
        return cfg;
    }

    @Test
    void theCliPrintsWhatThePacsReturnedAndWhichStudyCounts(@TempDir Path work) throws Exception {
        Path cfg = config(work, "priors:\n  source: dimse\n  dimse: { host: 127.0.0.1, port: " + orthanc.dicomPort
                + ", calledAeTitle: ORTHANC, callingAeTitle: MWLGW, tls: false }\n  timeoutSeconds: 5\n  lookbackYears: 6\n");
        Cli text = cli("priors", "PAT2001", "--config", cfg.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("3 MR studies").contains(brain3d.uid()).contains("[brain]").contains("[spine]")
                .contains("t2_spc_da-fl_sag_p2_iso").contains("<- 3D FLAIR")
                .contains("Reason given to the decision: Priors checked at").contains("most recent comparable brain MRI " + brain3d.date());
        Cli json = cli("priors", "PAT2001", "--json", "--config", cfg.toString());
        assertThat(json.exit()).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(tree.path("deciding").asText()).isEqualTo(brain3d.uid());
        assertThat(tree.path("studies").size()).isEqualTo(3);

        Cli other = cli("priors", "PAT2002", "--config", cfg.toString());
        assertThat(other.out()).contains("has no 3D FLAIR series: not comparable");

        Path down = config(work.resolve("down"), "priors:\n  source: dimse\n  dimse: { host: 127.0.0.1, port: "
                + TestGateway.freePort() + ", calledAeTitle: PACS, callingAeTitle: MWLGW, tls: false }\n");
        Cli refused = cli("priors", "PAT2001", "--config", down.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("could not be asked").contains("refused");
        // --json: stdout still holds JSON a script can read (it was empty), with the error
        Cli refusedJson = cli("priors", "PAT2001", "--json", "--config", down.toString());
        assertThat(refusedJson.exit()).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(refusedJson.out());
        assertThat(error.path("error").asText()).contains("refused");
        assertThat(error.path("reason").asText()).contains("could not be asked");

        Path none = config(work.resolve("none"), "priors:\n  source: none\n");
        assertThat(cli("priors", "PAT2001", "--config", none.toString()).exit()).isEqualTo(1);
        Path bad = config(work.resolve("bad"), "priors:\n  source: wado\n");
        Cli badRun = cli("validate", "--config", bad.toString());
        assertThat(badRun.exit()).isEqualTo(1);
        assertThat(badRun.err()).contains("priors.source").contains("none, dimse, dicomweb");
    }

    /**
     * The PACS answered, but with studies that are all set aside: the CLI says how many it returned and why none is
     * used (it printed "0 MR studies", as if the PACS had none).
     */
    @Test
    void theCliSaysWhichStudiesThePacsReturnedWereSetAsideAndWhy(@TempDir Path work) throws Exception {
        SyntheticStudies.Study other = new SyntheticStudies.Study("PAT2030", "OTHERHOSP", TODAY.minusMonths(8),
                "IRM ENCEPHALE", SyntheticStudies.uid(), List.of(series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag",
                "3D", "BRAIN", "SIEMENS")));
        SyntheticStudies.Study own = new SyntheticStudies.Study("PAT2031", "CHU", TODAY.minusMonths(7),
                "IRM ENCEPHALE SEP", SyntheticStudies.uid(), List.of(series("t2_spc_da-fl_sag_p2_iso",
                "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS")));
        SyntheticStudies.Study elsewhere = new SyntheticStudies.Study("PAT2031", "OTHERHOSP", TODAY.minusMonths(6),
                "IRM ENCEPHALE", SyntheticStudies.uid(), List.of(series("AX T2 FLAIR", "AX FLAIR", "2D", "HEAD", "GE")));
        orthanc.load(SyntheticStudies.write(work.resolve("aside"), List.of(other, own, elsewhere)));
        String pacs = "priors:\n  source: dimse\n  dimse: { host: 127.0.0.1, port: " + orthanc.dicomPort
                + ", calledAeTitle: ORTHANC, callingAeTitle: MWLGW, tls: false }\n  timeoutSeconds: 5\n";

        // a PACS shared with another hospital: priors.defaultIssuer says the order's patient is CHU's
        Path cfg = config(work.resolve("default"), pacs + "  defaultIssuer: CHU\n");
        Cli text = cli("priors", "PAT2030", "--config", cfg.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).as(text.out())
                .contains(": 1 study returned from ").contains(", 0 MR studies used, 1 set aside (order's issuer: CHU"
                        + " (priors.defaultIssuer))")
                .contains("Set aside: 1 study: another Issuer of Patient ID than the order's: another hospital's"
                        + " patient; their issuer: OTHERHOSP")
                .contains(other.uid() + ", issuer OTHERHOSP");
        Cli json = cli("priors", "PAT2030", "--json", "--config", cfg.toString());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(tree.path("returned").asInt()).isEqualTo(1);
        assertThat(tree.path("used").asInt()).isZero();
        assertThat(tree.path("setAside").get(0).path("reason").asText()).isEqualTo("OTHER_ISSUER");
        assertThat(tree.path("setAside").get(0).path("issuer").asText()).isEqualTo("OTHERHOSP");
        assertThat(tree.path("setAside").get(0).path("studyInstanceUid").asText()).isEqualTo(other.uid());

        // without an issuer, a Patient ID under two issuers: both set aside, and the line says so
        Path none = config(work.resolve("noissuer"), pacs);
        Cli both = cli("priors", "PAT2031", "--config", none.toString());
        assertThat(both.out()).as(both.out()).contains(": 2 studies returned from ")
                .contains(", 0 MR studies used, 2 set aside (order's issuer: none)")
                .contains("Set aside: 2 studies: the PACS holds this Patient ID under several issuers and the order"
                        + " names none (set priors.defaultIssuer, or --issuer); their issuers: CHU, OTHERHOSP")
                // the reason as a lookup gives it to the decision, word for word (it left the sentence out)
                .contains("2 other studies set aside: the PACS holds this Patient ID under several issuers and the"
                        + " order names none (PID-3.4).");
        // --issuer CHU: its study used, the other hospital's set aside
        Cli chu = cli("priors", "PAT2031", "--issuer", "CHU", "--config", none.toString());
        assertThat(chu.out()).as(chu.out()).contains(": 2 studies returned from ")
                .contains(", 1 MR study used, 1 set aside (order's issuer: CHU (--issuer))")
                .contains(own.uid()).contains(elsewhere.uid() + ", issuer OTHERHOSP");
    }

    private static Attributes inProgress(WorklistItem item) {
        Attributes a = MppsMessages.inProgress(item, "MR_SIEMENS", TODAY, "140000");
        a.newSequence(Tag.PerformedProtocolCodeSequence);
        return a;
    }
}
