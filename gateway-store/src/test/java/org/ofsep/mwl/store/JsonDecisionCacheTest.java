package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;

/** Parsed decisions are shared by JSON text; texts that differ anywhere are different decisions. */
class JsonDecisionCacheTest {

    private static Decision decision(String reason) {
        return new Decision(true, ExamCard.FULL, true, false, false, false, RuleId.DIAGNOSIS, List.of(reason),
                List.of(), null, 12, List.of(), List.of(new ProtocolCode("OFSEP-FULL-GD", "99OFSEP", "FULL Gd")),
                Map.of());
    }

    @Test
    void theSameTextGivesTheSameDecisionAndAnyDifferenceAnother() {
        String reason = "First MRI: full protocol with Gd, " + "x".repeat(400) + " end";
        String json = Json.write(decision(reason));
        assertThat(Json.decision(new String(json))).isSameAs(Json.decision(new String(json)));

        // change one character the key's hash does not look at: same hash, still another decision
        int n = json.length();
        int step = Math.max(1, n / 48);
        int at = json.indexOf("xxxx") + 1;
        while (at % step == 0) {
            at++;
        }
        String other = json.substring(0, at) + 'y' + json.substring(at + 1);
        assertThat(new Json.JsonText(other).hashCode()).isEqualTo(new Json.JsonText(json).hashCode());
        assertThat(new Json.JsonText(other)).isNotEqualTo(new Json.JsonText(json));
        Decision a = Json.decision(json);
        Decision b = Json.decision(other);
        assertThat(a.reasons().get(0)).isEqualTo(reason);
        assertThat(b.reasons().get(0)).hasSameSizeAs(reason).contains("y").isNotEqualTo(reason);
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void theFactsOfADecisionAreStoredWithIt() {
        Decision d = new Decision(true, ExamCard.ROUTINE, false, false, false, false, RuleId.ROUTINE_FOLLOW_UP,
                List.of("r"), List.of(), null, 12, List.of(), List.of(), Map.of(),
                List.of(new org.ofsep.mwl.core.domain.Fact("treatment", "ocrelizumab", "OBR-13",
                        "sous Ocrevus depuis mars 2022")));
        Decision back = Json.decision(Json.write(d));
        assertThat(back.facts()).isEqualTo(d.facts());
        // a decision stored before facts existed reads back with none
        String old = Json.write(decision("old")).replace(",\"facts\":[]", "");
        assertThat(old).doesNotContain("facts");
        assertThat(Json.decision(old).facts()).isEmpty();
    }
}
