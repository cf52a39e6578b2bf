package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Requested Procedure Priority (0040,1003) from the RIS to the console, against the real gateway: an order whose
 * TQ1-9 says S (stat) is answered STAT to dcmtk's findscu, a change (XO) to R makes it ROUTINE, the key is matched,
 * an order without priority gets the attribute empty, and the board's JSON says the same.
 */
class RequestedPriorityEndToEndTest {
    @TempDir
    Path work;

    /** The follow-up template of the e2e orders (LF-separated), with {@code tq1} (a whole segment, or "") after its ORC. */
    private static String order(String control, String id, String placer, String acc, String tq1) throws Exception {
        return TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", id)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", acc)
                .replace("ORC|NW|", "ORC|" + control + "|")
                .replace("||^^^" + TestGateway.today() + "1400\n", "||^^^" + TestGateway.today() + "1400\n" + tq1);
    }

    private static void send(TestGateway gw, String message) throws Exception {
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            String ack = client.send(message, StandardCharsets.UTF_8);
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
        }
    }

    private List<Dcmtk.Response> findscu(TestGateway gw, String accession, String priorityKey) throws Exception {
        return Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                List.of("0008,0050=" + accession, "0040,1003" + priorityKey, "0010,0010"));
    }

    @Test
    void theOrdersPriorityReachesTheConsoleAndAChangeUpdatesIt() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            String tq1 = "TQ1|1||||||" + TestGateway.today() + "1400||";
            send(gw, order("NW", "MSG-PRIO-1", "PLPRIO1", "ACCPRIO1", tq1 + "S\n"));

            List<Dcmtk.Response> stat = findscu(gw, "ACCPRIO1", "");
            assertThat(stat).singleElement().satisfies(r -> assertThat(r.get("0040,1003")).isEqualTo("STAT"));
            assertThat(findscu(gw, "ACCPRIO1", "=STAT")).hasSize(1);
            assertThat(findscu(gw, "ACCPRIO1", "=ROUTINE")).isEmpty();

            // the RIS changes the order: routine now
            send(gw, order("XO", "MSG-PRIO-2", "PLPRIO1", "ACCPRIO1", tq1 + "R\n"));
            assertThat(findscu(gw, "ACCPRIO1", "")).singleElement()
                    .satisfies(r -> assertThat(r.get("0040,1003")).isEqualTo("ROUTINE"));
            assertThat(findscu(gw, "ACCPRIO1", "=STAT")).isEmpty();

            // no priority in the order: the attribute is returned, empty
            send(gw, order("NW", "MSG-PRIO-3", "PLPRIO2", "ACCPRIO2", ""));
            assertThat(findscu(gw, "ACCPRIO2", "")).singleElement().satisfies(r -> {
                assertThat(r.has("0040,1003")).as(r.dump()).isTrue();
                assertThat(r.get("0040,1003")).isEmpty();
            });

            // the board's JSON
            String day = LocalDate.parse(TestGateway.today(), DateTimeFormatter.BASIC_ISO_DATE).toString();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + gw.config.http.port + "/api/worklist?date=" + day)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode items = new ObjectMapper().readTree(response.body()).get("items");
            assertThat(items).hasSize(2);
            for (JsonNode item : items) {
                String expected = item.get("accessionNumber").asText().equals("ACCPRIO1") ? "ROUTINE" : null;
                assertThat(item.get("priority").isNull() ? null : item.get("priority").asText()).isEqualTo(expected);
            }
        }
    }
}
