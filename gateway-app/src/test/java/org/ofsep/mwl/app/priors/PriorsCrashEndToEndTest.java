package org.ofsep.mwl.app.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.priors.SyntheticStudies.series;
import static org.ofsep.mwl.app.priors.SyntheticStudies.study;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 13, a real crash: {@code gateway serve} runs as its own process; two follow-up orders are acknowledged while
 * the PACS holds the first lookup (the second waits behind it); the process is killed with SIGKILL. Started again
 * on the same data directory with the PACS answering, the gateway takes the two lookups up from {@code prior_lookup}
 * at once, and findscu sees ROUTINE without Gd with the PACS study named: each order decided again exactly once,
 * nothing left to look up. Each row names its order's message in the log (V14), read back with the intake's parser;
 * a third order whose message left the log meanwhile (trimmed) loses its lookup (logged at WARN without patient data,
 * counted as an error) and keeps its intake decision.
 *
 * <p>The restarted process has another pid, so another owner name; it knows the dead process's name from the serve
 * lock file of the data directory (the dead process wrote it there, and its lock was free: it is gone), so it takes
 * its rows up at once instead of waiting for their hold to lapse (3 x priors.timeoutSeconds + 10 s, at least 30 s).
 */
class PriorsCrashEndToEndTest {

    private static final int TIMEOUT_SECONDS = 6; // the kill lands well within it, while the first lookup waits (hold still 30 s)
    private static final Duration HOLD = Duration.ofSeconds(Math.max(30, TIMEOUT_SECONDS * 3 + 10));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One row of prior_lookup as the store holds it: since V14 it names the order's message in the log (the
     * control ID of the message it names) and holds no copy of the order.
     */
    record Row(String placer, String claimedBy, Instant dueAt, int attempts, String messageControlId,
               boolean orderCopied) {
    }

    @Test
    void lookupsPendingAtAKillMinus9AreDoneOnceAfterTheRestart(@TempDir Path dir) throws Exception {
        SyntheticStudies.Study brain3d = study("PAT2001", LocalDate.now().minusYears(1), "IRM ENCEPHALE SEP",
                series("t1_mprage_sag_p2_iso", "t1_mprage", "3D", "BRAIN", "SIEMENS"),
                series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"));
        try (OrthancPeer orthanc = OrthancPeer.start(dir.resolve("orthanc"))) {
            orthanc.load(SyntheticStudies.write(dir.resolve("files"), List.of(brain3d)));
            Path config = Files.createDirectories(dir.resolve("config"));
            Path data = dir.resolve("data");
            for (String file : new String[] {"gateway.yaml", "mapping.yaml", "logback.xml"}) {
                Files.copy(Path.of("../config", file), config.resolve(file));
            }
            String shipped = Files.readString(config.resolve("gateway.yaml"));
            int hl7 = TestGateway.freePort();
            int dicom = TestGateway.freePort();
            int http = TestGateway.freePort();

            // 1. the first process: the PACS (behind the gate) never answers before the kill
            long deadPid;
            long killedAt;
            try (TcpGate gate = new TcpGate(orthanc.dicomPort)) {
                writeConfig(config, shipped, gate.port());
                Process first = serve(config, data, hl7, dicom, http, dir.resolve("first.log"));
                deadPid = first.pid();
                try {
                    awaitUp(first, http, dir.resolve("first.log"));
                    send(hl7, "PLC1");
                    send(hl7, "PLC2");
                    send(hl7, "PLC3");
                    long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS - 1).toNanos();
                    while (gate.accepted() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(gate.accepted()).as("the first lookup reached the PACS before the kill").isPositive();
                } finally {
                    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).inheritIO().start();
                    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    killedAt = System.nanoTime();
                    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            }

            // 2. what the dead process left: the three lookups, claimed by it, none attempted to the end, each
            // naming its order's message in the log
            List<Row> left = rows(data);
            assertThat(left).extracting(Row::placer).containsExactlyInAnyOrder("PLC1", "PLC2", "PLC3");
            assertThat(left).allSatisfy(r -> {
                assertThat(r.claimedBy()).as("held by the dead process").contains(":" + deadPid + ":");
                assertThat(r.attempts()).isZero();
                assertThat(r.messageControlId()).isEqualTo("MSG-" + r.placer());
                assertThat(r.orderCopied()).as("no copy of the order").isFalse();
            });
            // the third order's message leaves the log meanwhile (its retention trimmed it): its lookup cannot be
            // read back and goes; its intake decision stays
            try (Connection c = store(data); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM hl7_message WHERE control_id = 'MSG-PLC3'")).isEqualTo(1);
            }
            Instant lapse = left.stream().map(Row::dueAt).max(Instant::compareTo).orElseThrow();
            assertThat(lapse).as("the hold has not lapsed yet").isAfter(Instant.now());
            assertThat(lapse).isBefore(Instant.now().plus(HOLD).plusSeconds(1));

            // 3. started again, same data directory, the PACS answering
            writeConfig(config, shipped, orthanc.dicomPort);
            Process second = serve(config, data, hl7, dicom, http, dir.resolve("second.log"));
            try {
                long startedAt = System.nanoTime();
                awaitUp(second, http, dir.resolve("second.log"));
                long upMillis = (System.nanoTime() - startedAt) / 1_000_000;
                // the dead process's claims are given back at the start (serve lock), the drainer takes them at
                // once, the PACS answers within the timeout: done before the claims would have lapsed
                Instant deadline = lapse.plusSeconds(60);
                for (String acc : List.of("APLC1", "APLC2")) {
                    JsonNode history;
                    do {
                        history = history(http, acc);
                        if (history.size() > 0) {
                            break;
                        }
                        Thread.sleep(250);
                    } while (Instant.now().isBefore(deadline));
                    assertThat(history.size()).as("re-decided once after the restart: " + history
                            + "\n" + Files.readString(dir.resolve("second.log"))).isEqualTo(1);
                    assertThat(history.get(0).path("outcome").asText()).isEqualTo("CHANGED");
                    assertThat(history.get(0).path("before").path("examCard").asText()).isEqualTo("FULL");
                    assertThat(history.get(0).path("before").path("contrast").asBoolean()).isTrue();
                    assertThat(history.get(0).path("after").path("examCard").asText()).isEqualTo("ROUTINE");
                }
                assertThat(Instant.now()).as("taken up at once, not after the dead process's hold ("
                        + lapse + ")").isBefore(lapse);
                assertThat(Files.readString(dir.resolve("second.log")))
                        .contains("held by the previous run of this gateway (gone) are taken up now");
                long doneMillis = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("crash test: up %d ms after the start, both lookups done %d ms after the kill"
                        + " (hold %d s)%n", upMillis, doneMillis, HOLD.toSeconds());

                // what the Siemens console sees (findscu): ROUTINE, no contrast, the PACS study named
                for (String acc : List.of("APLC1", "APLC2")) {
                    Dcmtk.Response seen = console(dir, dicom, acc);
                    assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
                    String contrast = seen.get("0032,1070");
                    assertThat(contrast == null || contrast.isBlank()).as("no contrast agent: " + seen.dump()).isTrue();
                    assertThat(seen.dump()).contains(brain3d.uid()).contains("IRM ENCEPHALE SEP");
                }

                // nothing left to look up, and exactly two re-decisions in this process
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                int pending;
                while ((pending = health(http).path("priors").path("pending").asInt(-1)) != 0
                        && System.nanoTime() < until) {
                    Thread.sleep(250);
                }
                assertThat(pending).as("nothing pending after the restart").isZero();
                String scrape = get(http, "/metrics");
                assertThat(counter(scrape, "mwl_priors_redecisions_total", "CHANGED")).isEqualTo(2.0);
                // the lookup whose message was trimmed: dropped, counted, logged without patient data; the order
                // keeps its intake decision (FULL with Gd), never decided again
                Matcher errors = Pattern.compile("(?m)^mwl_priors_lookups_total\\{[^}]*outcome=\"error\"[^}]*\\} (\\S+)$")
                        .matcher(scrape);
                assertThat(errors.find()).as(scrape).isTrue();
                assertThat(Double.parseDouble(errors.group(1))).isEqualTo(1.0);
                String dropped = Files.readAllLines(dir.resolve("second.log")).stream()
                        .filter(l -> l.contains("dropped, the intake decision stays")).findFirst().orElseThrow();
                assertThat(dropped).contains("WARN", "is no longer in the message log")
                        .doesNotContain("PAT2001", "LEF", "CHLO", "PLC3");
                assertThat(history(http, "APLC3").size()).as("never decided again").isZero();
                Dcmtk.Response kept = console(dir, dicom, "APLC3");
                assertThat(kept.get("0040,0100/0040,0007")).as(kept.dump()).contains("FULL");
            } finally {
                second.destroy(); // SIGTERM: the clean stop
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
            assertThat(rows(data)).as("prior_lookup empty").isEmpty();
            // still once: the history did not grow after the clean stop
            assertThat(historyRowsInStore(data)).isEqualTo(2);
        }
    }

    /** The shipped gateway.yaml, listening on loopback only, asking the PACS at {@code pacsPort}. */
    private static void writeConfig(Path config, String shipped, int pacsPort) throws IOException {
        String yaml = shipped.substring(0, shipped.indexOf("\npriors:")).replace("bindAddress: 0.0.0.0",
                "bindAddress: 127.0.0.1") + """

                priors:
                  source: dimse
                  dimse: { host: 127.0.0.1, port: %d, calledAeTitle: ORTHANC, callingAeTitle: MWLGW, tls: false }
                  timeoutSeconds: %d
                  maxConcurrent: 1
                  retryAfterSeconds: 1
                """.formatted(pacsPort, TIMEOUT_SECONDS);
        Files.writeString(config.resolve("gateway.yaml"), yaml);
    }

    /** {@code gateway serve} in its own JVM, its log in {@code log}. */
    private static Process serve(Path config, Path data, int hl7, int dicom, int http, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.ofsep.mwl.app.GatewayCli", "serve", "--config", config.toString(), "--data", data.toString(),
                "--hl7-port", Integer.toString(hl7), "--dicom-port", Integer.toString(dicom),
                "--http-port", Integer.toString(http)));
        return new ProcessBuilder(command).directory(config.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static void awaitUp(Process process, int http, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway stopped (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway did not start within 90 s:\n" + Files.readString(log));
    }

    private static void send(int hl7, String placer) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-" + placer)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", "A" + placer);
        try (MllpClient client = new MllpClient("127.0.0.1", hl7)) {
            String ack = client.send(msg, StandardCharsets.UTF_8);
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
        }
    }

    private static String get(int http, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode health(int http) throws Exception {
        return JSON.readTree(get(http, "/health"));
    }

    /** The re-decisions of the accession's (single) step. */
    private static JsonNode history(int http, String accession) throws Exception {
        JsonNode steps = JSON.readTree(get(http, "/api/history?accession=" + accession)).path("steps");
        assertThat(steps.size()).as(accession).isEqualTo(1);
        return steps.get(0).path("history");
    }

    private static double counter(String scrape, String name, String kind) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*kind=\"" + kind + "\"[^}]*\\} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Dcmtk.Response console(Path work, int dicom, String accession) throws Exception {
        List<Dcmtk.Response> r = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", dicom,
                List.of("0008,0050=" + accession, "0040,1400", "0032,1070", "(0040,0100)[0].0040,0007",
                        "(0040,0100)[0].0040,0001=MR_SIEMENS", "(0040,0100)[0].0040,0002", "(0040,0100)[0].Modality"));
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    /** Opens the embedded store while no gateway runs (as the next start would find it). */
    private static Connection store(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("gateway")
                + ";AUTO_SERVER=FALSE", "sa", "");
    }

    private static List<Row> rows(Path data) throws Exception {
        try (Connection c = store(data); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.placer_order_number, p.claimed_by, p.due_at, p.attempts,"
                     + " m.control_id, p.order_json FROM prior_lookup p LEFT JOIN hl7_message m ON m.id = p.message_id")) {
            List<Row> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getInt(4), rs.getString(5),
                        rs.getString(6) != null));
            }
            return out;
        }
    }

    private static int historyRowsInStore(Path data) throws Exception {
        try (Connection c = store(data); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM decision_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
