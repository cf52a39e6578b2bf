package org.ofsep.mwl.app.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.Passwords;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.review.Role;

/**
 * Two radiologists on the board, in Debian's Chromium (found by an independent review): the periodic refresh no
 * longer hands the newest version to the next click (a colleague's override gets the gateway's 409 "reload", never
 * a silent CONFIRM over it), nor closes an open override form; a card of an accession with two steps acts on its
 * own step.
 */
class BoardReviewRaceBrowserTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path work;

    @Test
    void aColleaguesChangeIsNeverConfirmedOverAndAnOpenFormStaysOpen() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            gw.gateway().usersForTests().add("dr.martin", Role.RADIOLOGIST, Passwords.hash(PASSWORD), "test");
            gw.gateway().usersForTests().add("dr.durand", Role.RADIOLOGIST, Passwords.hash(PASSWORD), "test");
            for (String order : new String[] {"/e2e/orm-review-egfr24.hl7", "/e2e/orm-review-relapse.hl7"}) {
                assertThat(field(gw.send(order, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            // brain and spine under one accession, both held (eGFR 24 with Gd)
            String twoSteps = TestGateway.message("/e2e/orm-review-egfr24.hl7").replace("MSG-REV-0001", "MSG-REV-0009")
                    .replace("PLC3001", "PLC3009").replace("FIL3001", "FIL3009").replace("ACC3001", "ACC3009")
                    .replace("PAT3001", "PAT3009").replace("RP3001", "RP3009");
            int obr = twoSteps.indexOf("OBR|1|");
            String sep = String.valueOf(twoSteps.charAt(obr - 1));
            String procedures = twoSteps.substring(obr);
            twoSteps = (twoSteps.endsWith(sep) ? twoSteps : twoSteps + sep) + procedures.replace("OBR|1|", "OBR|2|")
                    .replace("IRM-SEP^IRM cérébrale SEP^L", "24980-5^MR Spine cervical^LN").replace("RP3009", "RP3009S");
            try (org.ofsep.mwl.app.support.MllpClient c = new org.ofsep.mwl.app.support.MllpClient("127.0.0.1",
                    gw.config.hl7.port)) {
                assertThat(field(c.send(twoSteps, StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            }
            assertThat(gw.gateway().worklist().findByAccession("ACC3009")).hasSize(2);

            String day = LocalDate.parse(TestGateway.today(), DateTimeFormatter.BASIC_ISO_DATE).toString();
            JsonNode seen = BoardBrowser.run("board-review-race-check.js", "http://127.0.0.1:" + gw.config.http.port,
                    day, "dr.martin", PASSWORD, "dr.durand", PASSWORD, "ACC3001", "ACC3002", "ACC3009");
            assertThat(seen.path("error").isMissingNode()).as(seen.toString()).isTrue();

            assertThat(seen.path("multiCards").asInt()).isEqualTo(2);
            assertThat(seen.path("multiMessage").asText()).contains("ACC3009").contains("confirmed")
                    .doesNotContain("has 2 steps");

            assertThat(seen.path("colleagueStatus").asInt()).isEqualTo(200);
            assertThat(seen.path("changedNote").asText()).contains("Changed since you loaded it").contains("dr.durand");
            assertThat(seen.path("versionAfterRefresh").asInt()).isEqualTo(seen.path("versionLoaded").asInt());
            assertThat(seen.path("raceMessage").asText()).contains("changed since you loaded it").contains("dr.durand");
            assertThat(seen.path("colleagueAgainStatus").asInt()).isEqualTo(200);
            assertThat(seen.path("raceAfterOtherAction").asText()).contains("changed since you loaded it");
            var race = gw.gateway().reviews().find("ACC3001");
            assertThat(race.state()).isEqualTo(ReviewState.OVERRIDDEN);
            assertThat(race.reviewedBy()).isEqualTo("dr.durand");

            assertThat(seen.path("formVisibleAfterRefresh").asBoolean()).isTrue();
            assertThat(seen.path("reasonAfterRefresh").asText()).isEqualTo("Clinically stable, Gd not needed");
            assertThat(seen.path("consoleErrors")).isEmpty();
        }
    }
}
