package org.ofsep.mwl.app.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.board.BoardBrowser.texts;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.ofsep.mwl.app.support.TestGateway;

/**
 * The board of a real gateway: three orders over MLLP (a routine MS follow-up, an MS diagnosis with a weight, a
 * knee MRI), then Debian's headless Chromium on the admin port. What the browser shows must be what the gateway's
 * /api/worklist says, and must read as the decision: ROUTINE without Gd, FULL with the Gd dose, the knee with
 * the RIS's own code for every vendor.
 */
class BoardLiveGatewayTest {
    @TempDir
    Path work;

    @Test
    void theBoardOfARunningGatewayShowsItsOrdersAndTheirDecisions() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            for (String[] order : new String[][] {
                    {"/e2e/orm-latin1-routine.hl7", "ISO-8859-1"},
                    {"/e2e/orm-utf8-diagnosis.hl7", "UTF-8"},
                    {"/e2e/orm-knee.hl7", "US-ASCII"}}) {
                String ack = gw.send(order[0], java.nio.charset.Charset.forName(order[1]));
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
            // the orders are scheduled "today" by TestGateway; the board is opened on that day explicitly
            String day = LocalDate.parse(TestGateway.today(), DateTimeFormatter.BASIC_ISO_DATE).toString();
            String base = "http://127.0.0.1:" + gw.config.http.port;
            JsonNode api = BoardBrowser.JSON.readTree(get(base + "/api/worklist?date=" + day));
            assertThat(api.get("items")).hasSize(3);

            JsonNode seen = BoardBrowser.run("board-live-check.js", base, day,
                    BoardBrowser.target().resolve("board-live.png").toString());

            assertThat(seen.path("dateInput").asText()).isEqualTo(day);
            assertThat(seen.path("errorBanner").isNull()).as(seen.path("errorBanner").asText()).isTrue();
            assertThat(texts(seen.path("consoleErrors"))).as("browser console errors").isEmpty();
            JsonNode rows = seen.path("rows");
            assertThat(rows).hasSize(3);

            // what the board shows is what the gateway answered, field by field
            for (JsonNode item : api.get("items")) {
                String spsId = item.get("spsId").asText();
                JsonNode row = find(rows, spsId);
                assertThat(row.path("station").asText()).isEqualTo(item.get("stationAeTitle").asText());
                assertThat(row.path("time").asText()).isEqualTo(item.get("scheduledStart").asText().substring(11, 16));
                assertThat(row.path("initials").asText()).isEqualTo(item.get("patientInitials").asText());
                assertThat(row.path("patientId").asText()).isEqualTo(item.get("patientId").asText());
                assertThat(row.path("accession").asText()).isEqualTo(item.get("accessionNumber").asText());
                assertThat(texts(row.path("alerts"))).containsExactlyElementsOf(texts(item.get("alerts")));
                JsonNode detail = seen.path("details").path(spsId);
                assertThat(detail.path("visible").asBoolean()).isTrue();
                assertThat(detail.path("rule").asText()).isEqualTo(item.get("rule").asText());
                assertThat(texts(detail.path("reasons"))).isNotEmpty()
                        .containsExactlyElementsOf(texts(item.get("reasons")));
                // the facts read from the order, with their HL7 source, as the gateway stored them
                assertThat(texts(detail.path("facts"), "source"))
                        .containsExactlyElementsOf(texts(item.get("facts"), "source"));
                assertThat(texts(detail.path("facts"), "value"))
                        .containsExactlyElementsOf(texts(item.get("facts"), "value"));
                for (String vendor : List.of("SIEMENS", "GE", "PHILIPS", "CANON")) {
                    assertThat(texts(detail.path("codes").path(vendor), "value")).as("%s codes for %s", spsId, vendor)
                            .isNotEmpty().containsExactlyElementsOf(texts(item.get("codes").get(vendor), "value"));
                }
            }

            // and it reads as the decision a radiologist expects for these three orders
            JsonNode routine = byAccession(rows, "ACC1001");
            assertThat(routine.path("card").asText()).isEqualTo("ROUTINE");
            assertThat(routine.path("contrast").asText()).startsWith("No Gd");
            assertThat(routine.path("patientId").asText()).isEqualTo("PAT***01").doesNotContain("PAT1001");
            assertThat(routine.path("initials").asText()).isEqualTo("D.H.");
            JsonNode routineFacts = seen.path("details").path(routine.path("spsId").asText()).path("facts");
            assertThat(texts(routineFacts, "source")).contains("OBX-5 99OFSEP PRIOR-MRI", "OBX-5 99OFSEP PRIOR-MRI-3DFLAIR");
            assertThat(texts(routineFacts, "value")).contains("2025-11-20");

            JsonNode diagnosis = byAccession(rows, "ACC1002");
            assertThat(diagnosis.path("card").asText()).isEqualTo("FULL");
            assertThat(diagnosis.path("contrast").asText()).startsWith("Gd").contains("6.0 mmol").contains("mL");
            assertThat(texts(seen.path("details").path(diagnosis.path("spsId").asText()).path("codes").path("PHILIPS"),
                    "value")).contains("OFSEP-FULL-GD");

            JsonNode knee = byAccession(rows, "ACC1003");
            assertThat(knee.path("card").asText()).isEqualTo("RIS");
            JsonNode kneeCodes = seen.path("details").path(knee.path("spsId").asText()).path("codes");
            for (String vendor : List.of("SIEMENS", "GE", "PHILIPS", "CANON")) {
                assertThat(texts(kneeCodes.path(vendor), "value")).containsExactly("24857-5");
            }
            assertThat(seen.path("reportText").asText()).isNotBlank();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static JsonNode find(JsonNode rows, String spsId) {
        for (JsonNode row : rows) {
            if (row.path("spsId").asText().equals(spsId)) {
                return row;
            }
        }
        throw new AssertionError("the board has no row " + spsId);
    }

    private static JsonNode byAccession(JsonNode rows, String accession) {
        for (JsonNode row : rows) {
            if (row.path("accession").asText().equals(accession)) {
                return row;
            }
        }
        throw new AssertionError("the board has no row for " + accession);
    }
}
