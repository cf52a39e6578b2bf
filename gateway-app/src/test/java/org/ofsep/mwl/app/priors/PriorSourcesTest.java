package org.ofsep.mwl.app.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ofsep.mwl.app.priors.SyntheticStudies.series;
import static org.ofsep.mwl.app.priors.SyntheticStudies.study;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.priors.PriorClassifier;
import org.ofsep.mwl.core.priors.PriorFindings;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorRules;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;

/**
 * The two PACS clients against real peers: Orthanc over DIMSE (C-FIND) and DICOMweb (QIDO-RS), dcmtk's dcmqrscp
 * over DIMSE; loaded with the same synthetic studies. Plus the failure modes: down, slow, refusing.
 */
class PriorSourcesTest {

    static final LocalDate TODAY = LocalDate.now();
    static final PriorRules RULES = MappingLoader.load(Path.of("../config/mapping.yaml")).priorRules();
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static OrthancPeer orthanc;
    static DcmqrscpPeer dcmqrscp;
    static SyntheticStudies.Study brain3d;
    static SyntheticStudies.Study brain2d;
    static SyntheticStudies.Study spine;

    @BeforeAll
    static void peers() throws Exception {
        brain3d = study("PRI-1", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t1_mprage_sag_p2_iso", "t1_mprage", "3D", "BRAIN", "SIEMENS"),
                series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"),
                series("ep2d_diff", "ep2d_diff", "2D", "BRAIN", "SIEMENS"));
        brain2d = study("PRI-1", TODAY.minusMonths(4), "IRM cérébrale",
                series("AX T2 FLAIR", "AX FLAIR", "2D", "HEAD", "GE MEDICAL SYSTEMS"),
                series("AX T1", "AX T1", "2D", "HEAD", "GE MEDICAL SYSTEMS"));
        spine = study("PRI-1", TODAY.minusYears(2), "IRM médullaire",
                series("sag T2 TSE", "sag T2", "2D", "CSPINE", "Philips"));
        List<SyntheticStudies.Study> all = List.of(brain3d, brain2d, spine,
                study("PRI-1", TODAY.minusMonths(2), "IRM genou droit", series("PD FS cor", "PD", "2D", "KNEE", "Philips")),
                study("PRI-1", TODAY.minusYears(9), "IRM cérébrale", series("3D FLAIR", "3D FLAIR", "3D", "BRAIN", "Canon")),
                study("PRI-2", TODAY.minusMonths(1), "IRM cérébrale", series("Sag CUBE FLAIR", "CUBE FLAIR", "3D", "BRAIN", "GE")),
                study("PRI-10", TODAY.minusMonths(1), "IRM cérébrale", series("3D_FLAIR", "3D_FLAIR", "3D", "BRAIN", "Philips")),
                study("PRI-3", TODAY.minusYears(1), "IRM cérébrale", series("t2_tirm_tra_dark-fl", "t2_tirm", "2D", "BRAIN", "SIEMENS")));
        List<java.nio.file.Path> files = SyntheticStudies.write(dir.resolve("files"), all);
        orthanc = OrthancPeer.start(dir.resolve("orthanc"));
        orthanc.load(files);
        dcmqrscp = DcmqrscpPeer.start(dir.resolve("dcmqrscp"));
        dcmqrscp.load(files);
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
        if (dcmqrscp != null) {
            dcmqrscp.close();
        }
    }

    static List<PriorSource> sources() {
        return List.of(
                new DimsePriorSource("127.0.0.1", orthanc.dicomPort, orthanc.aeTitle, "MWLGW", TIMEOUT, null, false),
                new QidoPriorSource(orthanc.dicomWebUrl(), null, TIMEOUT),
                new DimsePriorSource("127.0.0.1", dcmqrscp.port, dcmqrscp.aeTitle, "MWLGW", TIMEOUT, null, false));
    }

    static PriorQuery query(String patientId) {
        return new PriorQuery(patientId, null, TODAY.minusYears(6), TODAY);
    }

    @Test
    void thePatientsPriorsFromEachPacs() throws Exception {
        for (PriorSource source : sources().subList(0, 2)) {
            List<PriorStudy> studies = source.find(query("PRI-1"));
            List<String> uids = studies.stream().map(PriorStudy::studyInstanceUid).toList();
            assertEquals(4, studies.size(), source.describe() + ": " + studies);
            assertTrue(uids.contains(brain3d.uid()) && uids.contains(brain2d.uid()) && uids.contains(spine.uid()),
                    source.describe());
            assertTrue(studies.stream().allMatch(s -> "PRI-1".equals(s.patientId())), source.describe());
            PriorStudy b = studies.stream().filter(s -> s.studyInstanceUid().equals(brain3d.uid())).findFirst().orElseThrow();
            assertEquals(3, b.series().size(), source.describe());
            assertEquals(TODAY.minusYears(1), b.date());
            assertEquals("IRM ENCEPHALE SEP", b.description());
            assertTrue(b.series().stream().anyMatch(s -> "t2_spc_da-fl_sag_p2_iso".equals(s.description())
                    && "BRAIN".equals(s.bodyPart())), source.describe() + ": " + b.series());
            // the field strength is asked at SERIES level (a 3D FLAIR below 1.5 T is not comparable): Orthanc returns it
            assertTrue(b.series().stream().allMatch(s -> Double.valueOf(3.0).equals(s.fieldStrengthTesla())),
                    source.describe() + ": " + b.series());

            PriorFindings f = PriorClassifier.classify(RULES, studies, TODAY, null);
            assertEquals(brain3d.uid(), f.lastComparable().study().studyInstanceUid(), source.describe());
            assertEquals(brain2d.uid(), f.lastBrain().study().studyInstanceUid(), source.describe());
            assertEquals(spine.uid(), f.lastSpine().study().studyInstanceUid(), source.describe());
            assertEquals("t2_spc_da-fl_sag_p2_iso", f.deciding().flair3d().description(), source.describe());
        }
    }

    /**
     * dcmqrscp keeps only Modality, Series Number and Series Instance UID at SERIES level: the studies are found,
     * the brain study by its description, but no 3D FLAIR can be recognised: never taken as comparable, and the
     * reason says why.
     */
    @Test
    void aPacsWithoutSeriesDescriptionsGivesNoComparablePriorAndSaysWhy() throws Exception {
        PriorSource source = sources().get(2);
        List<PriorStudy> studies = source.find(query("PRI-1"));
        assertEquals(4, studies.size(), studies.toString());
        assertTrue(studies.stream().allMatch(s -> "PRI-1".equals(s.patientId())));
        PriorStudy b = studies.stream().filter(s -> s.studyInstanceUid().equals(brain3d.uid())).findFirst().orElseThrow();
        assertEquals(3, b.series().size());
        assertEquals("IRM ENCEPHALE SEP", b.description());
        PriorFindings f = PriorClassifier.classify(RULES, studies, TODAY, null);
        assertEquals(brain2d.uid(), f.lastBrain().study().studyInstanceUid());
        assertNull(f.lastComparable());
        assertEquals(spine.uid(), f.lastSpine().study().studyInstanceUid(), "the spine study by its description");
        String reason = org.ofsep.mwl.core.decision.PriorFacts.reason(f, 6, "now", source.describe());
        assertTrue(reason.contains("no series description"), reason);
    }

    @Test
    void aTwoDOnlyPriorDoesNotCountAndAnotherPatientsNeither() throws Exception {
        for (PriorSource source : sources()) {
            PriorFindings f = PriorClassifier.classify(RULES, source.find(query("PRI-3")), TODAY, null);
            assertNotNull(f.lastBrain(), source.describe());
            assertNull(f.lastComparable(), source.describe());
            assertTrue(source.find(query("PRI-404")).isEmpty(), source.describe());
            // PRI-2 and PRI-10 have comparable priors; PRI-1 must not see them
            assertTrue(source.find(query("PRI-1")).stream().noneMatch(s -> !"PRI-1".equals(s.patientId())));
        }
    }

    @Test
    void aPacsThatIsDownSaysSo() throws Exception {
        int closed = org.ofsep.mwl.app.support.TestGateway.freePort();
        PriorSourceException e = assertThrows(PriorSourceException.class, () ->
                new DimsePriorSource("127.0.0.1", closed, "PACS", "MWLGW", TIMEOUT, null, false).find(query("PRI-1")));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        PriorSourceException w = assertThrows(PriorSourceException.class, () ->
                new QidoPriorSource("http://127.0.0.1:" + closed + "/dicom-web", null, TIMEOUT).find(query("PRI-1")));
        assertTrue(w.getMessage().contains("refused"), w.getMessage());
    }

    @Test
    void aSlowPacsIsLeftAfterTheTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, never answers
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            Duration shortTimeout = Duration.ofSeconds(1);
            long t0 = System.nanoTime();
            PriorSourceException e = assertThrows(PriorSourceException.class, () -> new DimsePriorSource("127.0.0.1",
                    silent.getLocalPort(), "PACS", "MWLGW", shortTimeout, null, false).find(query("PRI-1")));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(4).toNanos(), "left after the timeout");
            assertTrue(e.getMessage().contains("1 s"), e.getMessage());
            t0 = System.nanoTime();
            PriorSourceException w = assertThrows(PriorSourceException.class, () -> new QidoPriorSource(
                    "http://127.0.0.1:" + silent.getLocalPort() + "/dicom-web", null, shortTimeout).find(query("PRI-1")));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(4).toNanos(), "left after the timeout");
            assertTrue(w.getMessage().contains("1 s"), w.getMessage());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void theTimeoutBoundsTheWholeDimseLookupNotEachAnswer() throws Exception {
        // Orthanc behind a relay that answers every SERIES query 1.2 s late: PRI-1 has 4 MR studies in 6 years,
        // so each answer comes well within 3 s but the whole lookup takes about 5 s
        try (SlowSeriesRelay slow = new SlowSeriesRelay(orthanc.dicomPort, 1200)) {
            long t0 = System.nanoTime();
            PriorSourceException e = assertThrows(PriorSourceException.class, () -> new DimsePriorSource("127.0.0.1",
                    slow.port(), orthanc.aeTitle, "MWLGW", Duration.ofSeconds(3), null, false).find(query("PRI-1")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 2_900 && ms < 4_000, "given up at the 3 s timeout, not later: " + ms + " ms");
            assertEquals("no complete answer within 3 s", e.getMessage());
            // the same relay, a timeout longer than the whole: the answer is complete (the relay only delays)
            assertEquals(4, new DimsePriorSource("127.0.0.1", slow.port(), orthanc.aeTitle, "MWLGW",
                    Duration.ofSeconds(15), null, false).find(query("PRI-1")).size());
        }
    }

    @Test
    void theTimeoutBoundsTheWholeQidoLookupNotEachRequest() throws Exception {
        String studies = "[" + String.join(",", List.of("1.2.3.1", "1.2.3.2", "1.2.3.3", "1.2.3.4").stream()
                .map(uid -> "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]},\"00100020\":{\"vr\":\"LO\","
                        + "\"Value\":[\"PRI-1\"]},\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20260101\"]}}").toList()) + "]";
        try (FakeQido pacs = FakeQido.start(x -> {
            if (x.getRequestURI().getPath().endsWith("/series")) {
                try {
                    Thread.sleep(1200); // each series answer late, within the timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            FakeQido.answer(x, x.getRequestURI().getPath().endsWith("/series") ? "[]" : studies);
        })) {
            String url = pacs.url();
            long t0 = System.nanoTime();
            PriorSourceException e = assertThrows(PriorSourceException.class,
                    () -> new QidoPriorSource(url, null, Duration.ofSeconds(3)).find(query("PRI-1")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 2_900 && ms < 4_000, "given up at the 3 s timeout, not later: " + ms + " ms");
            assertEquals("no complete answer within 3 s", e.getMessage());
            assertEquals(4, new QidoPriorSource(url, null, Duration.ofSeconds(15)).find(query("PRI-1")).size());
        }
    }

    @Test
    void qidoSendsTheBearerTokenAndReportsARefusal() throws Exception {
        List<String> auth = new ArrayList<>();
        try (FakeQido pacs = FakeQido.start(x -> {
            String a = x.getRequestHeaders().getFirst("Authorization");
            auth.add(a);
            if (!"Bearer s3cret".equals(a)) {
                x.sendResponseHeaders(401, -1);
                x.close();
            } else {
                FakeQido.answer(x, "[]");
            }
        })) {
            String url = pacs.url();
            assertTrue(new QidoPriorSource(url, "s3cret", TIMEOUT).find(query("PRI-1")).isEmpty());
            assertEquals("Bearer s3cret", auth.get(0));
            PriorSourceException e = assertThrows(PriorSourceException.class,
                    () -> new QidoPriorSource(url, "wrong", TIMEOUT).find(query("PRI-1")));
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        }
    }

    /**
     * A PACS that answers 200 with something else than JSON (a proxy's or a servlet's text page): the failure says
     * where the answer stopped being JSON, never what it held, since the message reaches the WARN log, /health and
     * the step's reasons (before, Jackson's message quoted the token, here the patient's name).
     */
    @Test
    void anAnswerThatIsNotJsonIsReportedWithoutItsContent() throws Exception {
        try (FakeQido pacs = FakeQido.start(x -> FakeQido.answer(x, "text/plain", "DUPONTMARTIN Jeanne PRI-1: no study"))) {
            String url = pacs.url();
            PriorSourceException e = assertThrows(PriorSourceException.class,
                    () -> new QidoPriorSource(url, null, TIMEOUT).find(query("PRI-1")));
            assertTrue(e.getMessage().startsWith("QIDO-RS answer is not JSON (line 1, column "), e.getMessage());
            assertFalse(e.getMessage().contains("DUPONT"), e.getMessage());
            assertNull(e.getCause(), "the parser's exception quotes the answer");
        }
    }

    /**
     * A PACS that matched too widely and did not return the Patient ID: its studies are nobody's in particular and
     * never count as this patient's priors (before, a study without a Patient ID was taken as the patient's: another
     * patient's 3D FLAIR brain MRI made a follow-up ROUTINE without Gd).
     */
    @Test
    void aStudyReturnedWithoutItsPatientIdIsNotThePatients() throws Exception {
        String study = "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20251103\"]},"
                + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"IRM ENCEPHALE SEP\"]},\"00080061\":{\"vr\":\"CS\",\"Value\":[\"MR\"]}%s}";
        String studies = "[" + String.format(study, "1.2.3.1", "") + "," + String.format(study, "1.2.3.2",
                ",\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PRI-1\"]}") + "]";
        String series = "[{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.9\"]},\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]},"
                + "\"0008103E\":{\"vr\":\"LO\",\"Value\":[\"t2_spc_da-fl_sag_p2_iso\"]}}]";
        try (FakeQido pacs = FakeQido.start(
                x -> FakeQido.answer(x, x.getRequestURI().getPath().endsWith("/series") ? series : studies))) {
            String url = pacs.url();
            List<PriorStudy> found = new QidoPriorSource(url, null, TIMEOUT).find(query("PRI-1"));
            assertEquals(List.of("1.2.3.2"), found.stream().map(PriorStudy::studyInstanceUid).toList());
        }
    }

    @Test
    void aRejectedAssociationSaysSo() {
        // dcmqrscp knows only the AE title DCMQR: another called AE title is rejected
        PriorSourceException e = assertThrows(PriorSourceException.class, () -> new DimsePriorSource("127.0.0.1",
                dcmqrscp.port, "NOTTHERE", "MWLGW", TIMEOUT, null, false).find(query("PRI-1")));
        assertTrue(e.getMessage().contains("rejected"), e.getMessage());
    }

    /** A QIDO-RS server on a free port whose answers the test writes (a PACS that misbehaves in a given way). */
    private record FakeQido(HttpServer server) implements AutoCloseable {
        static FakeQido start(com.sun.net.httpserver.HttpHandler handler) throws java.io.IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/dicom-web/", handler);
            server.start();
            return new FakeQido(server);
        }

        /** 200 with a DICOM JSON body. */
        static void answer(com.sun.net.httpserver.HttpExchange x, String json) throws java.io.IOException {
            answer(x, "application/dicom+json", json);
        }

        static void answer(com.sun.net.httpserver.HttpExchange x, String contentType, String body)
                throws java.io.IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", contentType);
            x.sendResponseHeaders(200, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
