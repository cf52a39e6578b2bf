package org.ofsep.mwl.app.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.board.BoardBrowser.texts;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.Passwords;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.review.Role;

/**
 * The radiologist review in a real browser on a running gateway (issue #14): two orders held for review (eGFR 24
 * with Gd; a relapse where Gd is optional), a radiologist logs in on the board, confirms the first, overrides the
 * second without Gd, and the console's next query (dcmtk's findscu) shows both changes; the audit panel shows
 * who did what.
 */
class BoardReviewBrowserTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path work;

    private static Dcmtk.Response console(Path work, TestGateway gw, String accession) throws Exception {
        List<Dcmtk.Response> r = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                List.of("0008,0050=" + accession, "0040,0100[0].0040,0007", "0040,0100[0].0040,0008[0].0008,0100",
                        "0040,0100[0].0032,1070"));
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    @Test
    void aRadiologistConfirmsOneOverridesAnotherAndTheConsoleSeesBoth() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            gw.gateway().usersForTests().add("dr.martin", Role.RADIOLOGIST, Passwords.hash(PASSWORD), "test");
            for (String order : List.of("/e2e/orm-review-egfr24.hl7", "/e2e/orm-review-relapse.hl7")) {
                assertThat(field(gw.send(order, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            // before: both held without Gd
            assertThat(console(work, gw, "ACC3001").get("0040,0100/0040,0008/0008,0100")).isEqualTo("OFSEP_FULL");
            assertThat(console(work, gw, "ACC3001").get("0040,0100/0040,0007")).contains("attente radiologue");
            assertThat(console(work, gw, "ACC3002").get("0040,0100/0040,0007")).contains("attente radiologue");

            String day = LocalDate.parse(TestGateway.today(), DateTimeFormatter.BASIC_ISO_DATE).toString();
            JsonNode seen = BoardBrowser.run("board-review-check.js", "http://127.0.0.1:" + gw.config.http.port, day,
                    "dr.martin", PASSWORD, "ACC3001", "ACC3002",
                    BoardBrowser.target().resolve("board-review.png").toString());

            // the worklist says which exams await the radiologist, before anyone logs in
            assertThat(texts(seen.path("worklistBefore"), "reviewTag")).containsOnly("awaiting radiologist");
            assertThat(seen.path("reviewHiddenBeforeLogin").asBoolean()).isTrue();
            assertThat(seen.path("auditHiddenBeforeLogin").asBoolean()).isTrue();
            assertThat(seen.path("wrongLogin").asText()).contains("wrong user name or password");
            assertThat(seen.path("account").asText()).contains("dr.martin").contains("radiologist");
            assertThat(seen.path("cookieVisibleToScript").asBoolean()).as("HttpOnly session cookie").isFalse();
            // the only console error allowed is Chromium's line for the refused login (HTTP 401)
            assertThat(texts(seen.path("consoleErrors"))).allSatisfy(e -> assertThat(e).contains("401"));

            JsonNode before = seen.path("before");
            assertThat(texts(before, "accession")).containsExactlyInAnyOrder("ACC3001", "ACC3002");
            assertThat(texts(before, "state")).containsOnly("TO_REVIEW");
            JsonNode egfr = card(before, "ACC3001");
            assertThat(egfr.path("proposed").asText()).contains("FULL with Gd");
            assertThat(egfr.path("published").asText()).contains("attente radiologue");
            assertThat(texts(egfr.path("why"))).anyMatch(w -> w.startsWith("RENAL_ALERT"));
            assertThat(texts(egfr.path("alerts"))).anyMatch(a -> a.contains("eGFR 24"));
            assertThat(texts(card(before, "ACC3002").path("why"))).anyMatch(w -> w.startsWith("GD_OPTIONAL"));

            assertThat(seen.path("confirmMessage").asText()).contains("ACC3001").contains("confirmed");
            assertThat(seen.path("overrideFormVisibleBefore").asBoolean()).isFalse();
            assertThat(seen.path("overrideFormVisibleAfterClick").asBoolean()).isTrue();
            assertThat(seen.path("emptyReasonMessage").asText()).contains("needs a reason");
            assertThat(seen.path("overrideMessage").asText()).contains("ACC3002").contains("overridden");
            JsonNode after = seen.path("after");
            assertThat(card(after, "ACC3001").path("reviewed").asText()).contains("Confirmed by dr.martin");
            assertThat(card(after, "ACC3002").path("reviewed").asText()).contains("Overridden by dr.martin")
                    .contains("Gd not needed");

            // the console's next query: Gd card for the confirmed one, FULL without Gd for the overridden one
            Dcmtk.Response confirmed = console(work, gw, "ACC3001");
            assertThat(confirmed.get("0040,0100/0040,0008/0008,0100")).isEqualTo("OFSEP_FULL_GD");
            assertThat(confirmed.get("0040,0100/0040,0007")).isEqualTo("OFSEP FULL + MOELLE - avec gadolinium");
            assertThat(confirmed.get("0040,0100/0032,1070")).contains("gadobutrol");
            Dcmtk.Response overridden = console(work, gw, "ACC3002");
            assertThat(overridden.get("0040,0100/0040,0008/0008,0100")).isEqualTo("OFSEP_FULL");
            assertThat(overridden.get("0040,0100/0040,0007")).isEqualTo("OFSEP FULL - sans gadolinium (optionnel)");
            assertThat(overridden.get("0040,0100/0032,1070")).isNullOrEmpty();

            // the audit panel: who, from where, what changed, why
            JsonNode audit = seen.path("audit");
            JsonNode confirm = row(audit, "CONFIRM");
            assertThat(confirm.path("user").asText()).isEqualTo("dr.martin");
            assertThat(confirm.path("from").asText()).isEqualTo("127.0.0.1");
            assertThat(confirm.path("accession").asText()).isEqualTo("ACC3001");
            assertThat(confirm.path("change").asText()).contains("no Gd (TO_REVIEW)").contains("+ Gd (CONFIRMED)");
            assertThat(confirm.path("at").asText()).startsWith(day);
            JsonNode override = row(audit, "OVERRIDE");
            assertThat(override.path("accession").asText()).isEqualTo("ACC3002");
            assertThat(override.path("reason").asText()).isEqualTo("Clinically stable relapse, Gd not needed");
            assertThat(texts(audit, "action")).contains("LOGIN", "LOGIN_FAILED");

            assertThat(texts(seen.path("worklistContrast"), "contrast").toString()).contains("Gd");
            assertThat(texts(seen.path("worklistContrast"), "reviewTag")).containsExactlyInAnyOrder("confirmed",
                    "overridden");
            assertThat(seen.path("loggedOut").asBoolean()).isTrue();
        }
    }

    private static JsonNode card(JsonNode cards, String accession) {
        for (JsonNode c : cards) {
            if (c.path("accession").asText().equals(accession)) {
                return c;
            }
        }
        throw new AssertionError("no review card for " + accession + " in " + cards);
    }

    private static JsonNode row(JsonNode rows, String action) {
        for (JsonNode r : rows) {
            if (r.path("action").asText().equals(action)) {
                return r;
            }
        }
        throw new AssertionError("no audit row " + action + " in " + rows);
    }
}
