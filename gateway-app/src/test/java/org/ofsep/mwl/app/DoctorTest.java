package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.FakeRis;
import org.ofsep.mwl.app.support.TestCerts;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * {@code gateway doctor}: a sound deployment passes, then each misconfiguration alone gives its one FAIL line and
 * exit 1: gateway.yaml, the mapping, a port taken, the data directory, the database and its migrations, TLS
 * certificates (expired, expiring, key not matching, missing), the RIS, the PACS (TCP and C-ECHO against dcmtk's
 * storescp), the clock.
 */
class DoctorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A deployment: the shipped config on free loopback ports, written to disk, and a data directory. */
    static final class Deployment {
        final Path config;
        final Path data;
        final GatewayConfig settings;

        Deployment(Path work) throws Exception {
            TestGateway copy = new TestGateway(work);
            this.config = copy.configDir;
            this.data = copy.dataDir;
            this.settings = copy.config;
            settings.http.bindAddress = "127.0.0.1";
            write();
        }

        Deployment with(Consumer<GatewayConfig> change) throws Exception {
            change.accept(settings);
            write();
            return this;
        }

        void write() throws Exception {
            Files.writeString(config.resolve("gateway.yaml"), YAML.writeValueAsString(settings));
        }

        CliEndToEndTest.Result doctor(String... extra) {
            List<String> args = new java.util.ArrayList<>(List.of("doctor", "--config", config.toString(), "--data",
                    data.toString(), "--timeout", "3"));
            args.addAll(List.of(extra));
            return CliEndToEndTest.run(args.toArray(String[]::new));
        }
    }

    /** The lines of one check. */
    private static List<String> lines(CliEndToEndTest.Result r, String check) {
        return r.out().lines().filter(l -> l.length() > 6 && l.substring(6).startsWith(check + " ")).toList();
    }

    /** The 1-based line of gateway.yaml that holds this text. */
    private static int lineOf(Deployment d, String text) throws Exception {
        List<String> lines = Files.readAllLines(d.config.resolve("gateway.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in gateway.yaml");
    }

    /** Exit 1 and exactly one FAIL line, the one of {@code check}, which contains {@code text}. */
    private static void failsOnly(CliEndToEndTest.Result r, String check, String text) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        List<String> failures = r.out().lines().filter(l -> l.startsWith("FAIL")).toList();
        assertThat(failures).as(r.out()).hasSize(1);
        assertThat(failures.get(0)).as(r.out()).contains(check).contains(text);
    }

    @Test
    void aSoundDeploymentPassesEveryCheck(@TempDir Path work) throws Exception {
        CliEndToEndTest.Result r = new Deployment(work).doctor();
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("FAIL").contains("doctor: no failure");
        assertThat(lines(r, "config").get(0)).startsWith("OK").contains("are valid");
        assertThat(lines(r, "port hl7").get(0)).startsWith("OK").contains("is free");
        assertThat(lines(r, "port dicom").get(0)).startsWith("OK");
        assertThat(lines(r, "port http").get(0)).startsWith("OK");
        assertThat(lines(r, "data").get(0)).startsWith("OK").contains("MB free");
        assertThat(lines(r, "database").get(0)).startsWith("OK").contains("created at first start");
        assertThat(lines(r, "tls").get(0)).startsWith("SKIP");
        assertThat(lines(r, "ris").get(0)).startsWith("SKIP");
        assertThat(lines(r, "pacs").get(0)).startsWith("SKIP");
        assertThat(lines(r, "clock").get(0)).startsWith("OK");
    }

    @Test
    void configurationErrors(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        String good = Files.readString(d.config.resolve("gateway.yaml"));
        Files.writeString(d.config.resolve("gateway.yaml"), good + "\nhl7x:\n  port: 1\n");
        CliEndToEndTest.Result yaml = d.doctor();
        assertThat(yaml.exit()).isEqualTo(1);
        assertThat(lines(yaml, "config").get(0)).startsWith("FAIL").contains("gateway.yaml").contains("hl7x")
                .doesNotContain("gateway.yaml: " + d.config); // the file named once
        Files.writeString(d.config.resolve("gateway.yaml"), good);

        // a bad value names the file and its line, as mapping errors do
        d.with(c -> c.dicom.maxAssociations = 0);
        failsOnly(d.doctor(), "config", d.config.resolve("gateway.yaml") + ":" + lineOf(d, "maxAssociations: 0")
                + ": dicom.maxAssociations: 0 is out of range (1 or more)");
        d.with(c -> c.dicom.maxAssociations = 20);
        d.with(c -> {
            c.priors.source = "dimse";
            c.priors.dimse.port = 70000;
        });
        // before: doctor stopped with "error: port out of range:70000" and no check at all
        CliEndToEndTest.Result pacs = d.doctor();
        failsOnly(pacs, "config", d.config.resolve("gateway.yaml") + ":" + lineOf(d, "port: 70000")
                + ": priors.dimse.port: 70000 must be 1 to 65535");
        assertThat(lines(pacs, "pacs").get(0)).startsWith("SKIP");
        d.with(c -> c.priors.source = "none");

        String mapping = Files.readString(d.config.resolve("mapping.yaml"));
        Files.writeString(d.config.resolve("mapping.yaml"), mapping.replace("aeTitle: MR_GE", "aeTitle: MR_SIEMENS"));
        failsOnly(d.doctor(), "config", "MR_SIEMENS");
    }

    @Test
    void portsTakenByAnotherProgramFailButTheRunningGatewaysOwnAreFine(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), d.settings.hl7.port));
            failsOnly(d.doctor(), "port hl7", "in use by another program");
        }
        // the gateway itself runs on this data directory: its ports and its store are fine
        try (Gateway running = Gateway.start(d.settings, d.config, d.data)) {
            CliEndToEndTest.Result r = d.doctor();
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(lines(r, "port hl7").get(0)).startsWith("OK").contains("in use by this gateway (process "
                    + ProcessHandle.current().pid() + ")");
            assertThat(lines(r, "port dicom").get(0)).contains("in use by this gateway");
            assertThat(lines(r, "port http").get(0)).contains("in use by this gateway");
            assertThat(lines(r, "database").get(0)).startsWith("OK").contains("through the running gateway")
                    .contains("schema current");
        }
    }

    @Test
    void dataDirectoryNotUsableOrShortOfSpace(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        failsOnly(d.doctor("--min-free-mb", String.valueOf(Long.MAX_VALUE / (2L * 1024 * 1024))), "data",
                "MB free");
        Path file = work.resolve("not-a-directory");
        Files.writeString(file, "x");
        CliEndToEndTest.Result r = CliEndToEndTest.run("doctor", "--config", d.config.toString(), "--data",
                file.resolve("data").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(lines(r, "data").get(0)).startsWith("FAIL").contains("cannot be created").contains("not a directory");
    }

    @Test
    void databaseUnreachableMigratedByANewerGatewayOrPastAMigration(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        int closed = TestGateway.freePort();
        d.with(c -> {
            c.database.url = "jdbc:postgresql://127.0.0.1:" + closed + "/mwl";
            c.database.user = "mwl";
        });
        failsOnly(d.doctor(), "database", "not reachable");

        // a store in use, then migrated by a newer gateway (a version this one does not know)
        d.with(c -> {
            c.database.url = "";
            c.database.user = "";
        });
        try (Gateway once = Gateway.start(d.settings, d.config, d.data)) {
            assertThat(once.worklist()).isNotNull();
        }
        CliEndToEndTest.Result current = d.doctor();
        assertThat(lines(current, "database").get(0)).as(current.out()).startsWith("OK").contains("schema current");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + d.data.toAbsolutePath().resolve("gateway"),
                "sa", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", "
                    + "\"type\", \"script\", \"checksum\", \"installed_by\", \"installed_on\", \"execution_time\", "
                    + "\"success\") VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'sa', "
                    + "CURRENT_TIMESTAMP, 1, TRUE)");
        }
        failsOnly(d.doctor(), "database", "applied by a newer gateway");

        // a store a development build took past a migration it never applied (migrations run in order only)
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + d.data.toAbsolutePath().resolve("gateway"),
                "sa", ""); Statement s = c.createStatement()) {
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('99', '5')");
        }
        failsOnly(d.doctor(), "database", "migration 5 (DecisionColumns) is not applied but the store is already past it");
    }

    @Test
    void tlsCertificatesExpiredExpiringNotMatchingOrMissing(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        TestCerts.Pair good = TestCerts.expiringIn(d.config, "good", 400);
        TestCerts.Pair other = TestCerts.expiringIn(d.config, "other", 400);
        TestCerts.Pair soon = TestCerts.expiringIn(d.config, "soon", 10);
        TestCerts.Pair expired = TestCerts.expiringIn(d.config, "expired", -2);

        d.with(c -> tls(c.dicom.tls, good.certificate(), good.privateKey()));
        CliEndToEndTest.Result ok = d.doctor();
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(lines(ok, "tls dicom").get(0)).startsWith("OK").contains("good.pem").contains("valid until");

        d.with(c -> tls(c.dicom.tls, expired.certificate(), expired.privateKey()));
        failsOnly(d.doctor(), "tls dicom", "EXPIRED");
        d.with(c -> tls(c.dicom.tls, soon.certificate(), soon.privateKey()));
        failsOnly(d.doctor(), "tls dicom", "expires in");
        d.with(c -> tls(c.dicom.tls, good.certificate(), other.privateKey()));
        failsOnly(d.doctor(), "tls dicom", "other-key.pem is not the key of");
        d.with(c -> tls(c.dicom.tls, good.certificate(), d.config.resolve("missing-key.pem")));
        failsOnly(d.doctor(), "tls dicom", "missing-key.pem");

        // the MLLP listener's trusted certificates (the RIS's) count too
        d.with(c -> {
            tls(c.dicom.tls, good.certificate(), good.privateKey());
            tls(c.hl7.tls, good.certificate(), good.privateKey());
            c.hl7.tls.trustedCertificates = expired.certificate().getFileName().toString();
        });
        failsOnly(d.doctor(), "tls hl7", "EXPIRED");
    }

    @Test
    void risReachableOnlyWhenItListens(@TempDir Path work) throws Exception {
        Deployment d;
        // the RIS listens first: the deployment's free ports are then never its port (a clean-clone run gave the RIS
        // the port just found free for the HL7 listener, and doctor said that port was in use)
        try (FakeRis ris = new FakeRis()) {
            d = new Deployment(work);
            d.with(c -> {
                c.hl7.ris.enabled = true;
                c.hl7.ris.host = "127.0.0.1";
                c.hl7.ris.port = ris.port();
            });
            CliEndToEndTest.Result r = d.doctor();
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(lines(r, "ris").get(0)).startsWith("OK").contains("reachable");
        }
        int closed = TestGateway.freePort();
        d.with(c -> c.hl7.ris.port = closed);
        failsOnly(d.doctor(), "ris", "not reachable");
    }

    @Test
    void risOverTlsNeedsAHandshakeWithTheTrustedCertificate(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work.resolve("doctor"));
        // the "RIS": an MLLP over TLS listener (a gateway's own, Camel) with its certificate
        try (TestGateway ris = new TestGateway(work.resolve("ris"))) {
            TestCerts.Pair risCert = TestCerts.expiringIn(ris.configDir, "ris", 400);
            tls(ris.config.hl7.tls, risCert.certificate(), risCert.privateKey());
            ris.start();
            Files.copy(risCert.certificate(), d.config.resolve("ris.pem"));
            TestCerts.Pair stranger = TestCerts.expiringIn(d.config, "stranger", 400);
            d.with(c -> {
                c.hl7.ris.enabled = true;
                c.hl7.ris.tls = true;
                c.hl7.ris.host = "127.0.0.1";
                c.hl7.ris.port = ris.config.hl7.port;
                c.hl7.tls.trustedCertificates = "ris.pem";
            });
            CliEndToEndTest.Result r = d.doctor();
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(lines(r, "ris").get(0)).startsWith("OK").contains("TLS handshake done");
            assertThat(lines(r, "tls ris").get(0)).startsWith("OK").contains("ris.pem");

            d.with(c -> c.hl7.tls.trustedCertificates = stranger.certificate().getFileName().toString());
            failsOnly(d.doctor(), "ris", "the TLS handshake failed");
        }
    }

    @Test
    void pacsAnswersCEchoOrNot(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        int pacsPort = TestGateway.freePort();
        d.with(c -> {
            c.priors.source = "dimse";
            c.priors.dimse.host = "127.0.0.1";
            c.priors.dimse.port = pacsPort;
            c.priors.dimse.calledAeTitle = "PACS";
            c.priors.dimse.callingAeTitle = "MWLGW";
        });
        failsOnly(d.doctor(), "pacs", "not reachable (TCP)");

        // dcmtk's storescp as the PACS: it answers C-ECHO
        Process pacs = new ProcessBuilder("/usr/bin/storescp", "--aetitle", "PACS", "--output-directory",
                work.toString(), String.valueOf(pacsPort)).redirectErrorStream(true)
                .redirectOutput(work.resolve("storescp.log").toFile()).start();
        try {
            awaitListening(pacsPort);
            CliEndToEndTest.Result r = d.doctor();
            assertThat(r.exit()).as(r.out() + Files.readString(work.resolve("storescp.log"))).isZero();
            assertThat(lines(r, "pacs").get(0)).startsWith("OK").contains("C-ECHO MWLGW -> PACS").contains("success");
        } finally {
            pacs.destroy();
            pacs.waitFor(10, TimeUnit.SECONDS);
        }

        // something listens, but it is no DICOM peer
        try (ServerSocket notDicom = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread silent = new Thread(() -> {
                try {
                    while (true) {
                        notDicom.accept().close();
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            silent.setDaemon(true);
            silent.start();
            d.with(c -> c.priors.dimse.port = notDicom.getLocalPort());
            failsOnly(d.doctor(), "pacs", "answers TCP but not C-ECHO");
        }
    }

    @Test
    void dicomWebPacsAnswersQidoOrRefusesTheToken(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        com.sun.net.httpserver.HttpServer qido = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        qido.createContext("/dicom-web/studies", exchange -> {
            boolean authorized = "Bearer good-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(authorized ? 204 : 401, -1);
            exchange.close();
        });
        qido.start();
        try {
            String url = "http://127.0.0.1:" + qido.getAddress().getPort() + "/dicom-web";
            d.with(c -> {
                c.priors.source = "dicomweb";
                c.priors.dicomweb.url = url;
                c.priors.dicomweb.token = "good-token";
            });
            CliEndToEndTest.Result r = d.doctor();
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(lines(r, "pacs").get(0)).startsWith("OK").contains("QIDO-RS").contains("HTTP 204");
            d.with(c -> c.priors.dicomweb.token = "stale-token");
            failsOnly(d.doctor(), "pacs", "HTTP 401 (check priors.dicomweb.token)");
        } finally {
            qido.stop(0);
        }
        int closed = TestGateway.freePort();
        d.with(c -> c.priors.dicomweb.url = "http://127.0.0.1:" + closed + "/dicom-web");
        failsOnly(d.doctor(), "pacs", "not reachable");
    }

    @Test
    void clockNotPlausibleOrGoneBack(@TempDir Path work) throws Exception {
        Deployment d = new Deployment(work);
        Clock y2019 = Clock.fixed(Instant.parse("2019-06-01T10:00:00Z"), ZoneId.of("Europe/Paris"));
        List<Doctor.Check> checks = new Doctor(d.config, d.data, 0, y2019, Duration.ofSeconds(3)).run();
        assertThat(checks).filteredOn(c -> c.status() == Doctor.Status.FAIL).extracting(Doctor.Check::name)
                .containsExactly("clock");
        assertThat(checks.get(checks.size() - 1).message()).contains("2019-06-01").contains("not plausible");

        // the store received an order today: a clock a day behind went back
        try (TestGateway gw = new TestGateway(work.resolve("gw"))) {
            gw.start();
            gw.send("/e2e/orm-latin1-routine.hl7", StandardCharsets.ISO_8859_1);
            gw.stop();
            Clock yesterday = Clock.offset(Clock.systemDefaultZone(), Duration.ofDays(-1));
            List<Doctor.Check> back = new Doctor(gw.configDir, gw.dataDir, 0, yesterday, Duration.ofSeconds(3)).run();
            Doctor.Check clock = back.stream().filter(c -> c.name().equals("clock")).findFirst().orElseThrow();
            assertThat(clock.status()).isEqualTo(Doctor.Status.FAIL);
            assertThat(clock.message()).contains("the clock went back");
            List<Doctor.Check> now = new Doctor(gw.configDir, gw.dataDir, 0, Clock.systemDefaultZone(),
                    Duration.ofSeconds(3)).run();
            assertThat(now.stream().filter(c -> c.name().equals("clock")).findFirst().orElseThrow().status())
                    .isEqualTo(Doctor.Status.OK);
        }
    }

    private static void tls(GatewayConfig.Tls tls, Path certificate, Path key) {
        tls.enabled = true;
        tls.certificate = certificate.getFileName().toString();
        tls.privateKey = key.getFileName().toString();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("storescp did not listen on " + port);
    }
}
