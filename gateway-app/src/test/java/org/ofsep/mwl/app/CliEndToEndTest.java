package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Every command of the jar that README documents, run as a user would (in-process, same argument parsing),
 * against the shipped config and a real gateway where the command needs one.
 */
class CliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output and exit code of one command. */
    record Result(int exit, String out, String err) {
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = GatewayCli.commandLine().execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void validateAcceptsTheShippedConfigAndRefusesABadEdit(@TempDir Path dir) throws Exception {
        Result ok = run("validate", "--config", "../config");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid");

        Files.copy(Path.of("../config/gateway.yaml"), dir.resolve("gateway.yaml"));
        String mapping = Files.readString(Path.of("../config/mapping.yaml"))
                .replace("aeTitle: MR_GE", "aeTitle: MR_SIEMENS");
        Files.writeString(dir.resolve("mapping.yaml"), mapping);
        Result bad = run("validate", "--config", dir.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("mapping.yaml:").containsIgnoringCase("duplicate").contains("MR_SIEMENS");
    }

    @Test
    void aWrongDateOptionSaysWhatIsExpected(@TempDir Path dir) {
        // every date option of the commands: the value and the format, not a Java class and its exception
        for (String[] args : new String[][] {{"report", "gd", "--from", "2026-13-01"}, {"audit", "--to", "01/12/2026"},
                {"decide", "x.hl7", "--date", "tomorrow"}}) {
            Result r = run(args);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("is not a date YYYY-MM-DD").doesNotContain("java.time");
        }
        // query's --date is the DICOM form: an ISO date would only come back refused by the gateway (A900)
        Result query = run("query", "--as", "MR_GE", "--port", "1", "--date", "2026-12-05", "--config", "../config",
                "--data", dir.toString());
        assertThat(query.exit()).isEqualTo(2);
        assertThat(query.err()).contains("--date: '2026-12-05' is not YYYYMMDD, a range YYYYMMDD-YYYYMMDD");
        // a count or a time of zero or less says so (before, 'messages --limit -5' listed nothing without a word)
        Result limit = run("messages", "--limit", "-5", "--config", "../config", "--data", dir.toString());
        assertThat(limit.exit()).isEqualTo(2);
        assertThat(limit.err()).contains("--limit: -5 is not a number of messages (1 or more)");
        Result timeout = run("doctor", "--timeout", "0", "--config", "../config", "--data", dir.toString());
        assertThat(timeout.exit()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout: 0 is not a number of seconds (1 or more)");
    }

    @Test
    void upgradeMappingRewritesAMappingOfTheOldLayoutThatValidateThenAccepts(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../config/gateway.yaml"), dir.resolve("gateway.yaml"));
        Path legacy = Path.of("../gateway-core/src/test/resources/mapping/legacy-layout-mapping.yaml");
        Files.copy(legacy, dir.resolve("mapping.yaml"));
        Result refused = run("validate", "--config", dir.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("mapping.yaml:").contains("contrastPolicy.RELAPSE")
                .contains("rules.RELAPSE.inject").contains("gateway upgrade-mapping");

        String data = dir.resolve("data").toString();
        Result upgraded = run("upgrade-mapping", "--config", dir.toString(), "--data", data);
        assertThat(upgraded.exit()).as(upgraded.err()).isZero();
        assertThat(Files.readString(dir.resolve("mapping.yaml.old"))).isEqualTo(Files.readString(legacy));
        Result ok = run("validate", "--config", dir.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        Result again = run("upgrade-mapping", "--config", dir.toString(), "--data", data);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to do");

        // a person changed the mapping: who, and the file before and after, as sha256sum prints them
        JsonNode trail = JSON.readTree(run("audit", "--json", "--config", dir.toString(), "--data", data).out());
        List<JsonNode> upgrades = new java.util.ArrayList<>();
        trail.forEach(e -> {
            if ("MAPPING_UPGRADED".equals(e.get("action").asText())) {
                upgrades.add(e);
            }
        });
        assertThat(upgrades).hasSize(1); // "nothing to do" changed nothing
        assertThat(upgrades.get(0).get("user").asText()).startsWith("cli:");
        assertThat(upgrades.get(0).get("detail").asText())
                .contains(org.ofsep.mwl.core.mapping.MappingSnapshot.fileSha256(Files.readAllBytes(legacy)) + " before")
                .contains(org.ofsep.mwl.core.mapping.MappingSnapshot.fileSha256(
                        Files.readAllBytes(dir.resolve("mapping.yaml"))) + " after");
    }

    @Test
    void decidePrintsTheDecisionAsJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.hl7");
        Files.writeString(file, TestGateway.message("/e2e/orm-utf8-diagnosis.hl7"), StandardCharsets.UTF_8);
        Result r = run("decide", "--config", "../config", "--data", dir.resolve("data").toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = JSON.readTree(r.out());
        assertThat(d.get("ofsep").asBoolean()).isTrue();
        assertThat(d.get("examCard").asText()).isEqualTo("FULL");
        assertThat(d.get("contrast").asBoolean()).isTrue();
        assertThat(d.get("rule").asText()).isEqualTo("DIAGNOSIS");
        assertThat(d.get("contrastDose").get("mmol").asDouble()).isEqualTo(6.0);
        assertThat(d.get("reasons").size()).isPositive();
        assertThat(d.has("alerts")).isTrue();
        assertThat(d.has("nextMriMonths")).isTrue();
        assertThat(d.get("priority").isNull()).isTrue(); // the order gives none

        // the order's priority (ORC-7.6 here) as the console will receive it
        Path stat = dir.resolve("stat.hl7");
        Files.writeString(stat, TestGateway.message("/e2e/orm-utf8-diagnosis.hl7").replace(
                "SC||^^^" + TestGateway.today() + "1000", "SC||^^^" + TestGateway.today() + "1000^^S"),
                StandardCharsets.UTF_8);
        Result urgent = run("decide", "--config", "../config", "--no-history", stat.toString());
        assertThat(urgent.exit()).as(urgent.err()).isZero();
        assertThat(JSON.readTree(urgent.out()).get("priority").asText()).isEqualTo("STAT");

        // --date is the reference when the order carries no scheduled date; --no-history ignores the store
        Result dated = run("decide", "--config", "../config", "--date", "2026-01-15", "--no-history",
                file.toString());
        assertThat(dated.exit()).as(dated.err()).isZero();
        assertThat(JSON.readTree(dated.out()).get("examCard").asText()).isEqualTo("FULL");

        Path knee = dir.resolve("knee.hl7");
        Files.writeString(knee, TestGateway.message("/e2e/orm-knee.hl7"));
        JsonNode k = JSON.readTree(run("decide", "--config", "../config", knee.toString()).out());
        assertThat(k.get("ofsep").asBoolean()).isFalse();
        assertThat(k.get("examCard").isNull()).isTrue();
    }

    @Test
    void decideShowsTheFactsOfRealStyleOrdersWithTheirSources() throws Exception {
        // ISO 8859-1, v2.3.1: natalizumab, JCV and the previous MRI in OBR-13
        Result pml = run("decide", "--config", "../config", "--no-history", "../corpus/orders/c38-xplore-fr.hl7");
        assertThat(pml.exit()).as(pml.err()).isZero();
        JsonNode p = JSON.readTree(pml.out());
        assertThat(p.get("examCard").asText()).isEqualTo("PML_SHORT");
        assertThat(p.get("facts").get("treatment").get("value").asText()).isEqualTo("natalizumab");
        assertThat(p.get("facts").get("treatment").get("source").asText()).isEqualTo("OBR-13");
        assertThat(p.get("facts").get("treatment").get("text").asText()).isEqualTo("Tysabri depuis 01/2023, JCV"
                + " positif index 1,8.");
        assertThat(p.get("facts").get("jcvIndex").get("value").asText()).isEqualTo("1.8");

        // UTF-8, v2.5: a creatinine in umol/L for a woman of 76 gives the CKD-EPI 2021 eGFR and the Gd alert
        Result ckd = run("decide", "--config", "../config", "--no-history", "../corpus/orders/c48-fr25-fr.hl7");
        assertThat(ckd.exit()).as(ckd.err()).isZero();
        JsonNode c = JSON.readTree(ckd.out());
        assertThat(c.get("facts").get("egfr").get("value").asText())
                .isEqualTo("16.8 mL/min/1.73m2 computed with CKD-EPI 2021 from creatinine 250 umol/L, age 76, female");
        assertThat(c.get("facts").get("egfr").get("source").asText()).isEqualTo("OBX-5 LN 14682-9, PID-7, PID-8");
        assertThat(c.get("alerts").toString()).contains("Gd with eGFR 17 < 30");
    }

    @Test
    void demoOrderTemplatesSendAsTheyAreWithToday(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            String config = gw.configDir.toString();
            String port = String.valueOf(gw.config.hl7.port);
            Path template = Path.of("../scripts/demo/04-new-dmt.hl7");
            assertThat(Files.readString(template)).contains("{{DATE}}").contains("{{LASTYEAR}}");

            // without --today: refused before anything is sent, saying what to do
            Result refused = run("send", "--config", config, "--port", port, template.toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("04-new-dmt.hl7 is an order template").contains("{{DATE}}")
                    .contains("--today").contains("nothing was sent");
            assertThat(gw.gateway().worklist().countByStatus().values()).containsOnly(0L);

            // with --today: every demo order is accepted, scheduled today, its history dated from today
            try (Stream<Path> demo = Files.list(Path.of("../scripts/demo"))) {
                List<String> args = new java.util.ArrayList<>(List.of("send", "--today", "--config", config,
                        "--port", port));
                demo.filter(p -> p.toString().endsWith(".hl7")).sorted().forEach(p -> args.add(p.toString()));
                Result sent = run(args.toArray(String[]::new));
                assertThat(sent.exit()).as(sent.out() + sent.err()).isZero();
                assertThat(sent.out().lines().filter(l -> l.endsWith(": AA")).count()).isEqualTo(args.size() - 6);
            }
            Result today = run("query", "--config", config, "--as", "MR_GE", "--port",
                    String.valueOf(gw.config.dicom.port), "--station", "*", "--json");
            assertThat(JSON.readTree(today.out()).get("matches").size()).isGreaterThanOrEqualTo(9);
            // the new-DMT order's prior MRI is a year old: the decision is NEW_DMT, not "no comparable prior"
            String decisions = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gw.config.http.port + "/api/decisions")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(decisions).contains("NEW_DMT").contains("PML_SCREENING");

            // a second run of the same template is accepted too (new run number, or the resend's same answer)
            Result again = run("send", "--today", "--config", config, "--port", port, template.toString());
            assertThat(again.exit()).as(again.out()).isZero();
        }
    }

    @Test
    void queryExportReportMessagesAndReplayAgainstARealGateway(@TempDir Path work) throws Exception {
        String config;
        String data;
        try (TestGateway gw = new TestGateway(work).start()) {
            config = gw.configDir.toString();
            data = gw.dataDir.toString();
            gw.send("/e2e/orm-latin1-routine.hl7", StandardCharsets.ISO_8859_1);
            gw.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8);
            gw.send("/e2e/orm-missing-pid3.hl7", StandardCharsets.US_ASCII);
            String port = String.valueOf(gw.config.dicom.port);

            Result q = run("query", "--config", config, "--as", "MR_PHILIPS", "--port", port, "--json");
            assertThat(q.exit()).as(q.err()).isZero();
            JsonNode matches = JSON.readTree(q.out()).get("matches");
            assertThat(matches).hasSize(1);
            assertThat(matches.get(0).get("patientName").asText()).isEqualTo("DUPRÉ^HÉLÈNE");
            assertThat(matches.get(0).get("protocolCodes").asText()).startsWith("OFSEP_FULL_GD^99PHILIPS");

            Result table = run("query", "--config", config, "--as", "MR_SIEMENS", "--port", port);
            assertThat(table.out()).contains("ACC1001").contains("OFSEP_ROUTINE^99SIEMENS").contains("1 item(s)");

            String today = TestGateway.today();
            Result filtered = run("query", "--config", config, "--as", "MR_GE", "--host", "127.0.0.1", "--port", port,
                    "--called", "MWLGW", "--date", today + "-" + today, "--station", "*", "--modality", "MR",
                    "--name", "DUP*", "--patient-id", "PAT1001", "--accession", "ACC1001", "--json");
            assertThat(filtered.exit()).as(filtered.err()).isZero();
            JsonNode one = JSON.readTree(filtered.out()).get("matches");
            assertThat(one).hasSize(1);
            assertThat(one.get(0).get("protocolCodes").asText()).startsWith("OFSEPROUTINE^99GEMS");
            Result wrongCalled = run("query", "--config", config, "--as", "MR_GE", "--port", port, "--called", "OTHER");
            assertThat(wrongCalled.exit()).isNotZero();
            assertThat(wrongCalled.err()).containsIgnoringCase("called AE title not recognized");

            // send: a RIS stand-in, each file in the charset of its MSH-18
            Path knee = work.resolve("knee.hl7");
            Files.writeString(knee, TestGateway.message("/e2e/orm-knee.hl7"));
            Result sent = run("send", "--config", config, "--host", "127.0.0.1", "--port",
                    String.valueOf(gw.config.hl7.port), knee.toString());
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out()).contains("knee.hl7: AA");
            Path broken = work.resolve("broken.hl7");
            Files.writeString(broken, TestGateway.message("/e2e/orm-missing-pid3.hl7").replace("MSG-E2E-0005", "MSG-B"));
            Result refused = run("send", "--config", config, "--port", String.valueOf(gw.config.hl7.port),
                    broken.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.out()).containsPattern("broken.hl7: A[ER] - .*PID");

            Result intruder = run("query", "--config", config, "--as", "INTRUDER", "--port", port);
            assertThat(intruder.exit()).isNotZero();
            assertThat(intruder.err()).containsIgnoringCase("calling AE title not recognized");

            // the admin port: health, metrics, worklist JSON, Gd report, the board page
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gw.config.http.port;
            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("worklist").get("SCHEDULED").asInt()).isEqualTo(3);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("mwl_decisions_total{card=\"ROUTINE\",contrast=\"false\",ofsep=\"true\"} 1.0")
                    .contains("mwl_gd_injections_avoided_total 1.0").contains("mwl_hl7_messages_total{ack=\"AA\"} 3.0")
                    .contains("mwl_cfind_duration_seconds_count").contains("mwl_outbound_queue_depth")
                    .contains("mwl_outbound_failed_total").contains("mwl_outbound_sent_total")
                    // the embedded store's file (H2Compaction keeps it from growing by every commit)
                    .containsPattern("mwl_store_file_bytes [1-9]")
                    // and puts what the orders wrote on the disk (H2Sync)
                    .containsPattern("mwl_store_syncs_total [1-9]").contains("mwl_store_sync_seconds_total");
            HttpResponse<String> worklist = http.send(HttpRequest.newBuilder(URI.create(base + "/api/worklist?date="
                    + java.time.LocalDate.now())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(worklist.body()).contains("PAT***01").doesNotContain("DUPRÉ");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/worklist?date=tomorrow")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            String decisions = http.send(HttpRequest.newBuilder(URI.create(base + "/api/decisions")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(decisions).contains("ACC1001").contains("ROUTINE_FOLLOW_UP").contains("DIAGNOSIS")
                    .doesNotContain("PAT1001").doesNotContain("DUPR");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/report/gd")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("injectionsAvoided");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).containsIgnoringCase("<html");
        }
        // the embedded database is held by a running gateway: these commands run with it stopped

        Result json = run("export", "--config", config, "--data", data);
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode export = JSON.readTree(json.out());
        assertThat(export.get("worklist")).hasSize(3);
        Path exportFile = work.resolve("export.json");
        assertThat(run("export", "--config", config, "--data", data, "--out", exportFile.toString()).exit()).isZero();
        assertThat(JSON.readTree(exportFile.toFile()).get("worklist")).hasSize(3);
        // patient data, private as the data directory is (it was 0644 under the usual umask)
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(exportFile)))
                .isEqualTo("rw-r-----");

        Path wl = work.resolve("wl");
        // an admin's own script beside the files: the export leaves it as it is
        Files.createDirectories(wl.resolve("MWLGW"));
        Path script = Files.writeString(wl.resolve("MWLGW").resolve("rotate.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Result files = run("export", "--config", config, "--data", data, "--wl", wl.toString());
        assertThat(files.exit()).as(files.err()).isZero();
        List<Path> written;
        try (Stream<Path> s = Files.list(wl.resolve("MWLGW"))) {
            written = s.filter(p -> p.toString().endsWith(".wl")).toList();
        }
        assertThat(written).hasSize(3);
        assertThat(written).allSatisfy(f -> assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                wl.resolve("MWLGW")))).isEqualTo("rwxr-x---");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
                .isEqualTo("rwxr-xr-x");
        assertThat(written.stream().map(f -> {
            try {
                return Dcmtk.dump(work, f).get("0010,0010");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList()).containsExactlyInAnyOrder("DUPRÉ^HÉLÈNE", "DUPRÉ^HÉLÈNE", "MARTIN^PAUL");

        Result report = run("report", "gd", "--config", config, "--data", data, "--json");
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(JSON.readTree(report.out()).get("exams").asInt()).isZero();
        Result text = run("report", "gd", "--config", config, "--data", data, "--from", "2026-01-01", "--to",
                "2026-12-31", "--top", "3", "--reveal");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Gadolinium report 2026-01-01 .. 2026-12-31").contains("Gd injections avoided");

        Result failed = run("messages", "--failed", "--config", config, "--data", data);
        assertThat(failed.exit()).isZero();
        assertThat(failed.out()).contains("MSG-E2E-0005").doesNotContain("MSG-E2E-0001");
        String id = failed.out().lines().filter(l -> l.contains("MSG-E2E-0005")).findFirst().orElseThrow()
                .trim().split("\\s+")[0];
        Result all = run("messages", "--config", config, "--data", data);
        assertThat(all.out()).contains("MSG-E2E-0001").contains("MSG-E2E-0002");
        Result newest = run("messages", "--limit", "1", "--config", config, "--data", data);
        assertThat(newest.out().lines().count()).isEqualTo(2); // header and one message
        Result show = run("messages", "--show", id, "--config", config, "--data", data);
        assertThat(show.out()).contains("PLC1005").contains("ACK");

        // the message still lacks PID-3: replaying it fails the same way, and says so
        Result replay = run("replay", id, "--config", config, "--data", data);
        assertThat(replay.exit()).isEqualTo(1);
        assertThat(replay.out()).contains("replayed").containsPattern("A[ER]");
        // a replay is a change a person makes: the audit trail says who replayed which message, and how it went
        Result audit = run("audit", "--json", "--config", config, "--data", data);
        assertThat(audit.exit()).as(audit.err()).isZero();
        JsonNode replayed = null;
        for (JsonNode e : JSON.readTree(audit.out())) {
            if ("MESSAGE_REPLAYED".equals(e.path("action").asText())) {
                replayed = e;
            }
        }
        assertThat(replayed).as(audit.out()).isNotNull();
        assertThat(replayed.path("user").asText()).startsWith("cli:" + System.getProperty("user.name") + "@");
        assertThat(replayed.path("detail").asText()).startsWith("HL7 message #" + id + " replayed: A");
    }
}
