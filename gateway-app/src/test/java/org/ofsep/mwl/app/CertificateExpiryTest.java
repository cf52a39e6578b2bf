package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestCerts;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Certificate expiry on /health (WARN from 30 days before the end, DOWN once expired) and on /metrics (seconds to
 * expiry per certificate), for the DICOM, MLLP and RIS TLS settings, with short-lived certificates from keytool.
 */
class CertificateExpiryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400;

    @Test
    void aCertificateExpiringWithin30DaysWarnsAndShowsItsSecondsToExpiry(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            TestCerts.Pair dicom = TestCerts.expiringIn(gw.configDir, "dicom", 10);
            TestCerts.Pair mllp = TestCerts.expiringIn(gw.configDir, "mllp", 400);
            TestCerts.Pair risCa = TestCerts.expiringIn(gw.configDir, "ris-ca", 200);
            tls(gw.config.dicom.tls, dicom, null);
            tls(gw.config.hl7.tls, mllp, risCa);
            gw.config.hl7.ris.enabled = true;
            gw.config.hl7.ris.tls = true;
            gw.config.hl7.ris.host = "127.0.0.1";
            gw.config.hl7.ris.port = TestGateway.freePort();
            gw.start();

            HttpResponse<String> response = get(gw, "/health");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = JSON.readTree(response.body());
            assertThat(health.get("status").asText()).isEqualTo("WARN");
            JsonNode certificates = health.get("certificates");
            assertThat(certificates.get("status").asText()).isEqualTo("WARN");
            assertThat(certificates.get("warnDays").asInt()).isEqualTo(30);
            JsonNode dicomCert = item(certificates, "dicom", "certificate");
            assertThat(dicomCert.get("status").asText()).isEqualTo("WARN");
            assertThat(dicomCert.get("daysLeft").asLong()).isBetween(9L, 10L);
            assertThat(dicomCert.get("subject").asText()).isEqualTo("CN=dicom.localhost");
            assertThat(dicomCert.get("file").asText()).endsWith("dicom.pem");
            assertThat(item(certificates, "hl7", "certificate").get("status").asText()).isEqualTo("UP");
            assertThat(item(certificates, "hl7", "trusted").get("daysLeft").asLong()).isBetween(199L, 200L);
            // the RIS link presents the MLLP certificate and trusts the RIS's CA
            assertThat(item(certificates, "ris", "certificate").get("subject").asText()).isEqualTo("CN=mllp.localhost");
            assertThat(item(certificates, "ris", "trusted").get("status").asText()).isEqualTo("UP");

            String metrics = get(gw, "/metrics").body();
            assertThat(seconds(metrics, "dicom", "certificate")).isBetween(9 * DAY, 10 * DAY);
            assertThat(seconds(metrics, "hl7", "certificate")).isBetween(399 * DAY, 400 * DAY);
            assertThat(seconds(metrics, "hl7", "trusted")).isBetween(199 * DAY, 200 * DAY);
            assertThat(seconds(metrics, "ris", "certificate")).isBetween(399 * DAY, 400 * DAY);
            assertThat(seconds(metrics, "ris", "trusted")).isBetween(199 * DAY, 200 * DAY);
        }
    }

    @Test
    void anExpiredCertificateTakesHealthDown(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            TestCerts.Pair expired = TestCerts.expiringIn(gw.configDir, "expired", -3);
            tls(gw.config.hl7.tls, expired, null);
            gw.start();

            HttpResponse<String> response = get(gw, "/health");
            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode health = JSON.readTree(response.body());
            assertThat(health.get("status").asText()).isEqualTo("DOWN");
            assertThat(health.get("database").get("up").asBoolean()).isTrue();
            JsonNode hl7 = item(health.get("certificates"), "hl7", "certificate");
            assertThat(hl7.get("status").asText()).isEqualTo("DOWN");
            assertThat(hl7.get("daysLeft").asLong()).isBetween(-3L, -2L);
            assertThat(seconds(get(gw, "/metrics").body(), "hl7", "certificate")).isBetween(-3 * DAY - 3600, -2 * DAY);
        }
    }

    @Test
    void withoutTlsThereIsNothingToExpire(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            JsonNode health = JSON.readTree(get(gw, "/health").body());
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("certificates").get("items")).isEmpty();
            assertThat(get(gw, "/metrics").body()).doesNotContain("mwl_tls_certificate_expiry_seconds{");
        }
    }

    private static void tls(GatewayConfig.Tls tls, TestCerts.Pair pair, TestCerts.Pair trusted) {
        tls.enabled = true;
        tls.certificate = pair.certificate().getFileName().toString();
        tls.privateKey = pair.privateKey().getFileName().toString();
        tls.trustedCertificates = trusted == null ? "" : trusted.certificate().getFileName().toString();
    }

    private static JsonNode item(JsonNode certificates, String setting, String role) {
        for (JsonNode item : certificates.get("items")) {
            if (item.get("setting").asText().equals(setting) && item.get("role").asText().equals(role)) {
                return item;
            }
        }
        throw new AssertionError("no " + setting + " " + role + " in " + certificates);
    }

    /** The value of mwl_tls_certificate_expiry_seconds for one setting and role. */
    private static long seconds(String metrics, String setting, String role) {
        List<String> lines = metrics.lines().filter(l -> l.startsWith("mwl_tls_certificate_expiry_seconds{")
                && l.contains("setting=\"" + setting + "\"") && l.contains("role=\"" + role + "\"")).toList();
        assertThat(lines).as(metrics).hasSize(1);
        Matcher m = Pattern.compile("} (\\S+)$").matcher(lines.get(0));
        assertThat(m.find()).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> get(TestGateway gw, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gw.config.http.port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
