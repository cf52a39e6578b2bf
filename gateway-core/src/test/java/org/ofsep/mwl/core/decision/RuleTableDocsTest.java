package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepRules.Rule;
import org.ofsep.mwl.core.decision.policy.DosePolicy;
import org.ofsep.mwl.core.decision.policy.FieldStrengthPolicy;
import org.ofsep.mwl.core.decision.policy.SafetyAlertPolicy;
import org.ofsep.mwl.core.decision.policy.SpinePolicy;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.mapping.MappingDocument;
import org.ofsep.mwl.core.mapping.MappingDocument.Policies;

/** docs/mapping.md lists the same rules and policies as the code: ids, order, quoted sentence, card, Gd, interval. */
class RuleTableDocsTest {

    private static final Pattern RULE_ROW = Pattern.compile(
            "^\\| (\\d+) \\| `([A-Z_]+)` \\| \"(.*)\" \\| (.*) \\| ([A-Z_]+) \\| ([A-Z_]+) \\| ([A-Z_]+) \\|$");
    private static final Pattern POLICY_ROW = Pattern.compile("^\\| `(\\w+)` \\| (.*) \\| (.*) \\|$");

    private static String docs() throws IOException {
        for (Path p : new Path[] {Path.of("../docs/mapping.md"), Path.of("docs/mapping.md")}) {
            if (Files.isRegularFile(p)) {
                return Files.readString(p);
            }
        }
        throw new IllegalStateException("docs/mapping.md not found");
    }

    private static List<String> section(String text, String start, String end) {
        int a = text.indexOf(start);
        int b = text.indexOf(end, a);
        assertThat(a).as(start + " in docs/mapping.md").isPositive();
        assertThat(b).as(end + " in docs/mapping.md").isGreaterThan(a);
        return text.substring(a, b).lines().toList();
    }

    @Test
    void docsListTheRuleTableOfTheCode() throws IOException {
        List<String> rows = section(docs(), "<!-- rule-table", "<!-- end rule-table").stream()
                .filter(l -> l.startsWith("| ") && Character.isDigit(l.charAt(2))).toList();
        assertThat(rows).hasSameSizeAs(OfsepRules.TABLE);
        for (int i = 0; i < rows.size(); i++) {
            Matcher m = RULE_ROW.matcher(rows.get(i));
            assertThat(m.matches()).as("docs row does not have the table's columns: " + rows.get(i)).isTrue();
            Rule rule = OfsepRules.TABLE.get(i);
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(i + 1);
            assertThat(m.group(2)).isEqualTo(rule.id().name());
            assertThat(m.group(3)).as("quoted sentence of " + rule.id()).isEqualTo(rule.recommendation());
            assertThat(m.group(4)).as("applies when, " + rule.id()).isEqualTo(rule.appliesWhen());
            assertThat(m.group(5)).isEqualTo(rule.card().name());
            assertThat(m.group(6)).isEqualTo(rule.gd().name());
            assertThat(m.group(7)).isEqualTo(rule.interval().name());
        }
    }

    @Test
    void docsListThePoliciesOfTheCode() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String l : section(docs(), "<!-- policies", "<!-- end policies")) {
            Matcher m = POLICY_ROW.matcher(l);
            if (m.matches()) {
                rows.add(new String[] {m.group(1), m.group(2)});
            }
        }
        List<String> mappingKeys = Arrays.stream(Policies.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertThat(rows).extracting(r -> r[0]).containsExactlyElementsOf(mappingKeys);
        List<List<String>> quotes = List.of(List.of(FieldStrengthPolicy.RECOMMENDATION), SpinePolicy.RECOMMENDATIONS,
                List.of(DosePolicy.RECOMMENDATION), List.of(SafetyAlertPolicy.RECOMMENDATION));
        for (int i = 0; i < rows.size(); i++) {
            String quoted = String.join(" ", quotes.get(i).stream().map(q -> "\"" + q + "\"").toList());
            assertThat(rows.get(i)[1]).as("quoted sentences of policy " + rows.get(i)[0]).isEqualTo(quoted);
        }
    }

    @Test
    void everyRuleIdIsOneEntryOfTheTableAndOneKeyOfTheMappingInTheSameOrder() {
        List<RuleId> table = OfsepRules.TABLE.stream().map(Rule::id).toList();
        List<RuleId> ids = Arrays.stream(RuleId.values()).filter(r -> r != RuleId.NOT_OFSEP).toList();
        assertThat(table).containsExactlyElementsOf(ids);
        List<String> keys = Arrays.stream(MappingDocument.Rules.class.getRecordComponents())
                .map(c -> c.getAccessor().getAnnotation(JsonProperty.class) != null
                        ? c.getAccessor().getAnnotation(JsonProperty.class).value()
                        : c.getAnnotation(JsonProperty.class).value())
                .toList();
        assertThat(keys).containsExactlyElementsOf(ids.stream().map(Enum::name).toList());
        assertThat(OfsepRules.TABLE.get(OfsepRules.TABLE.size() - 1).id()).as("the fallback is last")
                .isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
    }
}
