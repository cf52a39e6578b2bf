package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * The corpus of real-style orders (corpus/orders, French and English, several RIS styles, HL7 v2.3.1, v2.5 and
 * v2.5.1, ISO 8859-1 and UTF-8) through the HL7 parser and the OFSEP decision with the shipped mapping, against the
 * decision the OFSEP 2020 recommendations call for (corpus/expected.tsv, written before the run). Writes the
 * agreement report to target/corpus-report.md and prints its summary.
 *
 * <p>A disagreement is never made to pass by tuning the rules: it is listed in corpus/disagreements.tsv with the
 * reason. The test fails when a case disagrees and is not listed (a regression), when a listed case agrees (the
 * list must stay true), and whenever a safety alert (eGFR, pregnancy, conflict) differs from the expectation.
 */
class OrderCorpusTest {
    private static final Path CORPUS = locate();
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 16);

    private static Path locate() {
        for (Path p : new Path[] {Path.of("../corpus"), Path.of("corpus")}) {
            if (Files.isDirectory(p.resolve("orders"))) {
                return p;
            }
        }
        throw new IllegalStateException("corpus/ not found from " + Path.of("").toAbsolutePath());
    }

    private record Expected(String file, String card, boolean gd, List<String> alerts, String why) {
    }

    private static Map<String, String[]> tsv(Path file) throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t");
            out.put(cols[0].trim(), cols);
        }
        return out;
    }

    private static byte[] frame(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        int len = raw.length;
        while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r')) {
            len--;
        }
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = raw[i] == '\n' ? (byte) '\r' : raw[i];
        }
        return out;
    }

    private static List<String> alertKinds(Decision d) {
        List<String> kinds = new ArrayList<>();
        for (String a : d.alerts()) {
            if (a.startsWith("Gd with eGFR")) {
                kinds.add("EGFR");
            } else if (a.startsWith("Gd in pregnancy")) {
                kinds.add("PREGNANCY");
            } else if (a.startsWith("Gd with a gadolinium allergy")) {
                kinds.add("GD_ALLERGY");
            } else if (a.startsWith("Conflict")) {
                kinds.add("CONFLICT");
            }
        }
        return kinds.isEmpty() ? List.of("NONE") : kinds;
    }

    @Test
    void corpusAgreesWithTheRecommendationsExceptTheListedDisagreements() throws IOException {
        MappingSnapshot mapping = MappingLoader.load(CORPUS.resolve("../config/mapping.yaml").normalize());
        OfsepDecisionEngine engine = new OfsepDecisionEngine();
        MessageParser parser = new MessageParser();
        Map<String, String[]> expected = tsv(CORPUS.resolve("expected.tsv"));
        Map<String, String[]> known = tsv(CORPUS.resolve("disagreements.tsv"));
        assertThat(expected).hasSizeGreaterThanOrEqualTo(60);

        StringBuilder report = new StringBuilder("# Order corpus: agreement with the OFSEP 2020 recommendations\n\n");
        report.append("| order | expected | decided | rule | agrees | facts |\n|---|---|---|---|---|---|\n");
        List<String> unexpected = new ArrayList<>();
        List<String> safety = new ArrayList<>();
        List<String> staleKnown = new ArrayList<>();
        int agree = 0;
        int cardGdAgree = 0;
        int alertAgree = 0;
        for (String[] row : expected.values()) {
            Expected e = new Expected(row[0], row[1], row[2].equals("Y"), List.of(row[3].split(",")), row[4]);
            InboundFrame frame = InboundFrame.decode(frame(CORPUS.resolve("orders").resolve(e.file())));
            assertThat(frame.charsetError()).as(e.file()).isNull();
            OrderMessage order = ((Hl7Request.Order) parser.parse(frame.text(), frame.charset())).order();
            ProcedureRequest p = order.procedures().get(0);
            Decision d = engine.decide(mapping, order, p, mapping.station("MR_SIEMENS").orElseThrow(), List.of(),
                    TODAY);
            String card = d.examCard() == null ? "NONE" : d.examCard().name();
            boolean cardGd = card.equals(e.card()) && d.contrast() == e.gd();
            boolean alertsOk = alertKinds(d).equals(e.alerts());
            boolean ok = cardGd && alertsOk;
            agree += ok ? 1 : 0;
            cardGdAgree += cardGd ? 1 : 0;
            alertAgree += alertsOk ? 1 : 0;
            if (!alertsOk) {
                safety.add(e.file() + ": alerts " + alertKinds(d) + ", expected " + e.alerts() + " " + d.alerts());
            }
            if (!ok && !known.containsKey(e.file())) {
                unexpected.add(e.file() + ": decided " + card + (d.contrast() ? " Gd" : " no Gd") + " " + alertKinds(d)
                        + " by " + d.rule() + ", expected " + e.card() + (e.gd() ? " Gd " : " no Gd ") + e.alerts()
                        + " (" + e.why() + "); reasons " + d.reasons());
            }
            if (ok && known.containsKey(e.file())) {
                staleKnown.add(e.file());
            }
            StringBuilder facts = new StringBuilder();
            for (Fact f : d.facts()) {
                facts.append(facts.length() == 0 ? "" : "; ").append(f.name()).append('=').append(f.value())
                        .append(" (").append(f.source()).append(')');
            }
            report.append("| ").append(e.file()).append(" | ").append(e.card()).append(e.gd() ? " Gd" : "")
                    .append(" ").append(String.join(",", e.alerts())).append(" | ").append(card)
                    .append(d.contrast() ? " Gd" : "").append(" ").append(String.join(",", alertKinds(d)))
                    .append(" | ").append(d.rule()).append(" | ").append(ok ? "yes" : "**no**").append(" | ")
                    .append(facts.toString().replace("|", "/")).append(" |\n");
        }
        int n = expected.size();
        String summary = String.format("%d orders: %d agree with the recommendations (%d%%); card and Gd agree on %d,"
                + " safety alerts on %d; %d known disagreements listed in corpus/disagreements.tsv.", n, agree,
                Math.round(100.0 * agree / n), cardGdAgree, alertAgree, known.size());
        report.insert(report.indexOf("\n\n") + 2, summary + "\n\n");
        if (!known.isEmpty()) {
            report.append("\n## Known disagreements (the recommendations win)\n\n");
            known.values().forEach(k -> report.append("- ").append(k[0]).append(": ").append(k.length > 1 ? k[1] : "")
                    .append('\n'));
        }
        Path out = Path.of("target", "corpus-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.println("Order corpus: " + summary + " Report: " + out.toAbsolutePath());

        assertThat(safety).as("safety alerts that differ from the recommendations").isEmpty();
        assertThat(unexpected).as("disagreements not listed in corpus/disagreements.tsv").isEmpty();
        assertThat(staleKnown).as("listed disagreements that now agree: remove them from corpus/disagreements.tsv")
                .isEmpty();
    }
}
