package org.ofsep.mwl.app.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.board.BoardBrowser.isRed;
import static org.ofsep.mwl.app.board.BoardBrowser.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.app.AdminHttpServer;
import org.ofsep.mwl.app.AdminHttpServer.Response;

/**
 * The worklist board in a real browser: the page, CSS and script served from the classpath by the admin HTTP
 * server, the two JSON endpoints answering with the fixture, and Debian's headless Chromium driven by
 * playwright-core (board-check.js). The script reports what it sees; this test asserts it against the fixture.
 *
 * <p>Chromium, node and interop/node_modules are requirements: a missing one fails this test (see BoardBrowser).
 */
class BoardBrowserTest {
    private static final ObjectMapper JSON = BoardBrowser.JSON;
    private static final String FIXTURE_DATE = "2026-11-25";

    private AdminHttpServer server;
    private JsonNode worklist;
    private JsonNode report;
    private JsonNode revealed;
    private final List<Map<String, String>> worklistQueries = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> reportQueries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        worklist = fixture("/board/worklist-2026-11-25.json");
        report = fixture("/board/report-gd.json");
        revealed = fixture("/board/patients-revealed.json").get("patients");
        Map<String, Function<Map<String, String>, Response>> routes = new LinkedHashMap<>();
        routes.put("/", AdminHttpServer.resource("/board/index.html", "text/html; charset=utf-8"));
        routes.put("/board.css", AdminHttpServer.resource("/board/board.css", "text/css; charset=utf-8"));
        routes.put("/board.js", AdminHttpServer.resource("/board/board.js", "text/javascript; charset=utf-8"));
        routes.put("/review.js", AdminHttpServer.resource("/board/review.js", "text/javascript; charset=utf-8"));
        // nobody logged in: the review and audit panels stay hidden
        routes.put("/api/session", q -> Response.json(200, "{\"user\":null}"));
        routes.put("/api/worklist", this::worklistEndpoint);
        routes.put("/api/report/gd", this::reportEndpoint);
        server = new AdminHttpServer("127.0.0.1", 0, null, routes);
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Same contract as the gateway's endpoint: the station filter is applied by the server, other days are empty. */
    private Response worklistEndpoint(Map<String, String> query) {
        worklistQueries.add(Map.copyOf(query));
        ObjectNode body = worklist.deepCopy();
        String date = query.getOrDefault("date", FIXTURE_DATE);
        body.put("date", date);
        ArrayNode items = JSON.createArrayNode();
        for (JsonNode item : worklist.get("items")) {
            String station = query.get("station");
            if (date.equals(FIXTURE_DATE)
                    && (station == null || station.isEmpty() || station.equals(item.get("stationAeTitle").asText()))) {
                items.add("true".equals(query.get("reveal")) ? reveal(item) : item);
            }
        }
        body.set("items", items);
        return Response.json(200, body.toString());
    }

    /** With reveal=true the gateway sends the full Patient ID and the name instead of the masked ID. */
    private JsonNode reveal(JsonNode item) {
        ObjectNode copy = item.deepCopy();
        JsonNode patient = revealed.get(item.get("spsId").asText());
        copy.put("patientId", patient.get("patientId").asText());
        copy.put("patientName", patient.get("patientName").asText());
        return copy;
    }

    private Response reportEndpoint(Map<String, String> query) {
        reportQueries.add(Map.copyOf(query));
        ObjectNode body = report.deepCopy();
        body.put("from", query.get("from"));
        body.put("to", query.get("to"));
        return Response.json(200, body.toString());
    }

    @Test
    void boardShowsTheWorklistExplainsEachProtocolAndReportsGadolinium() throws Exception {
        JsonNode seen = runBrowser();

        assertThat(seen.path("pageStatus").asInt()).isEqualTo(200);
        assertThat(seen.path("title").asText()).contains("Worklist board");
        // the only console error allowed is Chromium's own line for the simulated outage below (HTTP 503)
        assertThat(texts(seen.path("consoleErrors"))).as("browser console errors")
                .allSatisfy(e -> assertThat(e).contains("status of 503"));

        // the day defaults to today (the fake clock's day) and goes to the server with the date
        assertThat(seen.path("dateInput").asText()).isEqualTo(FIXTURE_DATE);
        assertThat(worklistQueries.get(0)).containsEntry("date", FIXTURE_DATE).doesNotContainKey("station")
                .doesNotContainKey("reveal");

        // one row per item, grouped by station in the configured order, sorted by time within a station
        JsonNode rows = seen.path("rows");
        assertThat(rows).hasSize(worklist.get("items").size());
        assertThat(texts(seen.path("stationSections"), "aeTitle"))
                .containsExactly("MR_SIEMENS", "MR_GE", "MR_PHILIPS", "MR_CANON");
        assertThat(texts(rows, "spsId")).containsExactly(
                "SPS1001", "SPS1002", "SPS1003", "SPS1004", "SPS1005", "SPS1006", "SPS1007", "SPS1008", "SPS1009");
        assertThat(seen.path("stationSections").get(1).path("meta").asText()).isEqualTo("GE · SIGNA Artist · 1.5 T");
        assertThat(seen.path("stationOptions")).hasSize(5);

        for (JsonNode row : rows) {
            JsonNode item = item(row.path("spsId").asText());
            assertThat(row.path("station").asText()).isEqualTo(item.get("stationAeTitle").asText());
            assertThat(row.path("time").asText()).isEqualTo(item.get("scheduledStart").asText().substring(11, 16));
            assertThat(row.path("initials").asText()).isEqualTo(item.get("patientInitials").asText());
            assertThat(row.path("accession").asText()).isEqualTo(item.get("accessionNumber").asText());
            // masked by default: the ID shown is the server's masked one
            assertThat(row.path("patientId").asText()).isEqualTo(item.get("patientId").asText()).contains("***");
            assertThat(row.path("card").asText())
                    .isEqualTo(item.get("ofsep").asBoolean() ? item.get("examCard").asText() : "RIS");
            assertThat(texts(row.path("alerts"))).containsExactlyElementsOf(texts(item.get("alerts")));
            for (JsonNode color : row.path("alertColors")) {
                assertThat(isRed(color.asText())).as("alert colour %s", color.asText()).isTrue();
            }
        }
        assertThat(seen.path("revealChecked").asBoolean()).isFalse();

        // contrast: agent and volume, or clearly none
        assertThat(row(rows, "SPS1001").path("contrast").asText())
                .contains("Gd").contains("gadobutrol").contains("7.0 mL").contains("7.0 mmol");
        assertThat(row(rows, "SPS1005").path("contrast").asText())
                .contains("optional").contains("gadoterate").contains("13.0 mL").contains("6.5 mmol");
        assertThat(row(rows, "SPS1002").path("contrast").asText()).startsWith("No Gd").contains("sans gadolinium");
        assertThat(row(rows, "SPS1007").path("contrast").asText()).contains("dose not computed (no weight)");
        assertThat(row(rows, "SPS1001").path("spine").asBoolean()).isTrue();
        assertThat(row(rows, "SPS1007").path("alerts")).hasSize(2);

        // the order's priority: a pill when urgent (STAT, HIGH), none for ROUTINE or no priority
        assertThat(row(rows, "SPS1002").path("priority").asText()).isEqualTo("STAT");
        assertThat(row(rows, "SPS1006").path("priority").asText()).isEqualTo("Urgent");
        assertThat(row(rows, "SPS1007").path("priority").isNull()).isTrue();
        assertThat(row(rows, "SPS1001").path("priority").isNull()).isTrue();

        // RIS free text is shown as text, never run as markup
        assertThat(row(rows, "SPS1003").path("procedure").asText()).contains("<img src=x onerror=window.__xss=1>");
        assertThat(seen.path("xssFired").asBoolean()).isFalse();
        assertThat(seen.path("imgElementsInWorklist").asInt()).isZero();

        // the detail: hidden first, then the rule, every reason and each vendor's codes in the order sent
        assertThat(seen.path("detailBefore").path("visible").asBoolean()).isFalse();
        JsonNode detail = seen.path("detail");
        JsonNode relapse = item(detail.path("spsId").asText());
        assertThat(detail.path("visible").asBoolean()).isTrue();
        assertThat(detail.path("ariaExpanded").asText()).isEqualTo("true");
        assertThat(detail.path("rule").asText()).isEqualTo(relapse.get("rule").asText());
        assertThat(texts(detail.path("reasons"))).containsExactlyElementsOf(texts(relapse.get("reasons")));
        assertThat(texts(detail.path("advice"))).anyMatch(a -> a.contains("Spine MRI due"));
        // the facts read from the order, each with its HL7 field and the words it came from
        JsonNode facts = detail.path("facts");
        assertThat(facts).hasSize(relapse.get("facts").size());
        for (int i = 0; i < facts.size(); i++) {
            JsonNode want = relapse.get("facts").get(i);
            assertThat(facts.get(i).path("name").asText()).isEqualTo(want.get("name").asText());
            assertThat(facts.get(i).path("value").asText()).isEqualTo(want.get("value").asText());
            assertThat(facts.get(i).path("source").asText()).isEqualTo(want.get("source").asText());
        }
        assertThat(facts.get(0).path("label").asText()).isEqualTo("treatment");
        assertThat(facts.get(0).path("text").asText()).isEqualTo("\u201CPoussée depuis 10 jours sous Ocrevus depuis"
                + " mars 2022\u201D");
        assertThat(facts.get(2).path("source").asText()).isEqualTo("OBX-5 LN 14682-9, PID-7, PID-8");
        assertThat(facts.get(2).path("text").asText()).isEqualTo("\u2014");
        assertThat(detail.path("stationVendor").asText()).isEqualTo("GE");
        for (String vendor : List.of("SIEMENS", "GE", "PHILIPS", "CANON")) {
            JsonNode shown = detail.path("codes").path(vendor);
            JsonNode expected = relapse.get("codes").get(vendor);
            assertThat(shown).as("codes for %s", vendor).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                for (String field : List.of("value", "scheme", "meaning")) {
                    assertThat(shown.get(i).path(field).asText()).isEqualTo(expected.get(i).get(field).asText());
                }
            }
        }
        assertThat(detail.path("codes").path("GE").get(0).path("value").asText()).isEqualTo("OFSEP_FULL_GD");

        // refreshes by itself after 30 s, shows the new update time, keeps the open detail open
        JsonNode refresh = seen.path("refresh");
        assertThat(refresh.path("requestsAfter").asInt()).isGreaterThan(refresh.path("requestsBefore").asInt());
        assertThat(refresh.path("lastUpdate2").asText()).isNotEqualTo(seen.path("lastUpdate1").asText());
        assertThat(refresh.path("detailStillOpen").asBoolean()).isTrue();
        assertThat(seen.path("statusText").asText()).contains("Last update").contains("30 s");

        // a failed poll is shown, the last rows stay (dimmed) and the next good poll clears it
        JsonNode outage = seen.path("outage");
        assertThat(outage.path("error").asText()).contains("Could not load the worklist").contains("HTTP 503")
                .contains("database unavailable");
        assertThat(outage.path("rowsKept").asInt()).isEqualTo(worklist.get("items").size());
        assertThat(outage.path("stale").asBoolean()).isTrue();
        assertThat(outage.path("recovered").asBoolean()).isTrue();

        // the station filter reloads from the server with the station and shows only that station
        assertThat(texts(seen.path("filteredRows"), "spsId")).containsExactly("SPS1004", "SPS1005");
        assertThat(texts(seen.path("filteredSections"))).containsExactly("MR_GE");
        assertThat(worklistQueries).anySatisfy(q -> assertThat(q).containsEntry("station", "MR_GE"));
        assertThat(seen.path("filteredUrl").asText()).contains("station=MR_GE");

        // the date input reloads the day; an empty day says so; the report follows the shown day
        assertThat(worklistQueries).anySatisfy(q -> assertThat(q).containsEntry("date", "2026-11-26"));
        assertThat(seen.path("otherDay").path("rows").asInt()).isZero();
        assertThat(seen.path("otherDay").path("empty").get(0).asText()).contains("No exam scheduled on 26/11/2026");
        assertThat(seen.path("otherDay").path("heading").asText()).contains("26 November 2026");
        assertThat(seen.path("otherDay").path("reportInputs").path("to").asText()).isEqualTo("2026-11-26");
        assertThat(reportQueries).anySatisfy(q -> assertThat(q).containsEntry("from", "2025-11-27")
                .containsEntry("to", "2026-11-26"));

        // "Today" goes back to the clock's day, the station filter stays
        assertThat(seen.path("backToday").path("dateInput").asText()).isEqualTo(FIXTURE_DATE);
        assertThat(texts(seen.path("backToday").path("rows"))).containsExactly("SPS1004", "SPS1005");

        // full IDs and names only on an explicit choice, asked of the server; masked again when unticked
        assertThat(worklistQueries).anySatisfy(q -> assertThat(q).containsEntry("reveal", "true"));
        assertThat(texts(seen.path("revealedRows"), "patientId")).containsExactly("PAT10433", "PAT10448");
        assertThat(texts(seen.path("revealedNames"))).containsExactly("ROUX Claire", "PETIT Sophie");
        assertThat(texts(seen.path("maskedAgainRows"), "patientId")).containsExactly("PAT***33", "PAT***48");
        assertThat(seen.path("maskedAgainNames").asInt()).isZero();
        assertThat(worklistQueries.get(worklistQueries.size() - 1)).doesNotContainKey("reveal");

        // the Gd report: last 12 months to the shown day by default
        assertThat(reportQueries.get(0)).containsEntry("from", "2025-11-26").containsEntry("to", FIXTURE_DATE);
        JsonNode shownReport = seen.path("report");
        assertThat(shownReport.path("period").asText()).isEqualTo("26/11/2025 → 25/11/2026");
        assertThat(shownReport.path("exams").asText()).isEqualTo(report.get("exams").asText());
        assertThat(shownReport.path("given").asText()).isEqualTo(report.get("injectionsGiven").asText());
        assertThat(shownReport.path("avoided").asText()).isEqualTo(report.get("injectionsAvoided").asText());
        assertThat(shownReport.path("mmol").asText()).isEqualTo("861.5");
        assertThat(shownReport.path("compare").asText()).contains("400").contains("119").contains("−70 %");
        for (String card : List.of("FULL", "ROUTINE", "PML_SHORT")) {
            assertThat(shownReport.path("byCard").path(card).asText()).isEqualTo(report.get("byCard").get(card).asText());
        }
        JsonNode top = shownReport.path("topPatients");
        assertThat(top).hasSize(report.get("topPatients").size());
        assertThat(texts(top.get(0))).containsExactly("PAT***48", "4", "26.0");

        // printable: controls hidden on paper; and a screenshot to look at
        assertThat(seen.path("printFiltersHidden").asBoolean()).isTrue();
        Path screenshot = Path.of(seen.path("screenshot").asText());
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }

    private JsonNode runBrowser() throws IOException, InterruptedException {
        Path target = BoardBrowser.target();
        return BoardBrowser.run("board-check.js", "http://127.0.0.1:" + server.port(),
                target.resolve("board.png").toString(), target.resolve("board-print.png").toString());
    }

    private static JsonNode fixture(String resource) throws IOException {
        try (InputStream in = BoardBrowserTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return JSON.readTree(in);
        }
    }

    private JsonNode item(String spsId) {
        for (JsonNode item : worklist.get("items")) {
            if (item.get("spsId").asText().equals(spsId)) {
                return item;
            }
        }
        throw new AssertionError("no fixture item " + spsId);
    }

    private static JsonNode row(JsonNode rows, String spsId) {
        for (JsonNode row : rows) {
            if (row.path("spsId").asText().equals(spsId)) {
                return row;
            }
        }
        throw new AssertionError("no row " + spsId);
    }
}
