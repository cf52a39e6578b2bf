package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * "Today", when a request or a command does not say which day, is the site's day (gateway.yaml {@code timeZone}),
 * not the day of the machine the gateway runs on: the worklist and review lists, the audit trail and the Gd report
 * of the admin API, and the audit command. The site zone here is one whose date differs from the machine's now.
 */
class SiteDayDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "machine-token-0123456789abcdef0123456789";

    @Test
    void aDayLeftOutIsTheSitesDay(@TempDir Path work) throws Exception {
        ZoneId site = zoneOnAnotherDay();
        TestGateway gw = new TestGateway(work).siteTimeZone(site);
        gw.config.http.token = TOKEN;
        try (gw) {
            gw.start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gw.config.http.port;
            Set<String> siteDays = siteDays(site);
            assertThat(get(http, base + "/api/worklist").path("date").asText()).isIn(siteDays);
            assertThat(get(http, base + "/api/review").path("date").asText()).isIn(siteDays);
            assertThat(get(http, base + "/api/audit").path("to").asText()).isIn(siteDays);
            assertThat(get(http, base + "/api/report/gd").path("to").asText()).isIn(siteDays);
        }
        // the command, with the gateway stopped (it reads the embedded store)
        Set<String> siteDays = siteDays(site);
        CliEndToEndTest.Result audit = CliEndToEndTest.run("audit", "--config", gw.configDir.toString(),
                "--data", gw.dataDir.toString());
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(siteDays.stream().anyMatch(d -> audit.out().contains(" .. " + d))).as(audit.out()).isTrue();
    }

    /** A zone whose date is not the machine's at this moment (one of the two always is). */
    private static ZoneId zoneOnAnotherDay() {
        LocalDate here = LocalDate.now();
        for (String id : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
            ZoneId z = ZoneId.of(id);
            if (!LocalDate.now(z).equals(here)) {
                return z;
            }
        }
        throw new AssertionError("no zone found whose date differs from " + here);
    }

    /** The site's day now, and a minute later (should midnight pass during the test). */
    private static Set<String> siteDays(ZoneId site) {
        Set<String> days = new java.util.HashSet<>();
        days.add(LocalDate.now(site).toString());
        days.add(LocalDate.ofInstant(java.time.Instant.now().plusSeconds(60), site).toString());
        return days;
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
