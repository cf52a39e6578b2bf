package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;

/**
 * The gadolinium report: what the OFSEP 2020 recommendations exist to improve. Counts the OFSEP exams performed
 * in a period by card, the injections given, and the injections avoided compared with the former practice of an
 * annual Gd-enhanced MRI for every follow-up (every OFSEP exam would have been injected).
 */
public record GdReport(LocalDate from, LocalDate to, int exams, Map<ExamCard, Integer> byCard, int injectionsGiven,
                       int injectionsAvoided, int formerPracticeInjections, double totalGdMmol,
                       List<PatientGd> topPatients, int gdGivenAfterOverride, int gdAvoidedAfterOverride) {

    /** One patient's cumulative Gd in the period; the ID is masked unless asked otherwise. */
    public record PatientGd(String patient, int injections, double mmol) {
    }

    /** Builds the report from completed exams (the gateway's history, recorded from MPPS). */
    public static GdReport of(LocalDate from, LocalDate to, List<PriorExam> completed, int top, boolean revealIds) {
        Map<ExamCard, Integer> byCard = new EnumMap<>(ExamCard.class);
        for (ExamCard card : ExamCard.values()) {
            byCard.put(card, 0);
        }
        int exams = 0;
        int given = 0;
        double mmol = 0;
        Map<String, int[]> injectionsByPatient = new TreeMap<>();
        Map<String, double[]> mmolByPatient = new TreeMap<>();
        for (PriorExam exam : completed) {
            if (exam.date() == null || (from != null && exam.date().isBefore(from))
                    || (to != null && exam.date().isAfter(to)) || exam.examCard() == null) {
                continue; // only OFSEP exams in the period count
            }
            exams++;
            byCard.merge(exam.examCard(), 1, Integer::sum);
            if (exam.contrast()) {
                given++;
                double dose = exam.contrastMmol() == null ? 0 : exam.contrastMmol();
                mmol += dose;
                injectionsByPatient.computeIfAbsent(exam.patientId(), k -> new int[1])[0]++;
                mmolByPatient.computeIfAbsent(exam.patientId(), k -> new double[1])[0] += dose;
            }
        }
        List<PatientGd> topPatients = injectionsByPatient.entrySet().stream()
                .map(e -> new PatientGd(revealIds ? e.getKey() : Masking.patientId(e.getKey()), e.getValue()[0],
                        round(mmolByPatient.get(e.getKey())[0])))
                .sorted(Comparator.comparingInt(PatientGd::injections).reversed()
                        .thenComparing(Comparator.comparingDouble(PatientGd::mmol).reversed()))
                .limit(top)
                .toList();
        return new GdReport(from, to, exams, byCard, given, exams - given, exams, round(mmol), topPatients, 0, 0);
    }

    /**
     * The report with the radiologists' overrides of the period counted: for each exam, its last review action
     * in the audit trail; an OVERRIDE that gave Gd where the rules did not is "Gd given after override", one
     * that withheld the Gd the rules chose is "Gd avoided after override".
     */
    public GdReport withOverrides(List<org.ofsep.mwl.core.review.AuditEvent> reviewEvents) {
        Map<Long, org.ofsep.mwl.core.review.AuditEvent> last = new LinkedHashMap<>();
        for (var e : reviewEvents) {
            if (e.itemId() != null && List.of("CONFIRM", "OVERRIDE", "REDECIDED").contains(e.action())) {
                last.put(e.itemId(), e);
            }
        }
        int givenAfter = 0;
        int avoidedAfter = 0;
        for (var e : last.values()) {
            if ("OVERRIDE".equals(e.action()) && e.rulesContrast() != null && e.afterContrast() != null) {
                if (e.afterContrast() && !e.rulesContrast()) {
                    givenAfter++;
                } else if (!e.afterContrast() && e.rulesContrast()) {
                    avoidedAfter++;
                }
            }
        }
        return new GdReport(from, to, exams, byCard, injectionsGiven, injectionsAvoided, formerPracticeInjections,
                totalGdMmol, topPatients, givenAfter, avoidedAfter);
    }

    private static double round(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    /** JSON-ready view with stable key names (the board and {@code gateway report gd} print it). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", from == null ? null : from.toString());
        json.put("to", to == null ? null : to.toString());
        json.put("exams", exams);
        Map<String, Integer> cards = new LinkedHashMap<>();
        byCard.forEach((card, n) -> cards.put(card.name(), n));
        json.put("byCard", cards);
        json.put("injectionsGiven", injectionsGiven);
        json.put("injectionsAvoided", injectionsAvoided);
        json.put("formerPracticeInjections", formerPracticeInjections);
        json.put("totalGdMmol", totalGdMmol);
        json.put("gdGivenAfterOverride", gdGivenAfterOverride);
        json.put("gdAvoidedAfterOverride", gdAvoidedAfterOverride);
        json.put("topPatients", topPatients.stream().map(p -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("patient", p.patient());
            row.put("injections", p.injections());
            row.put("mmol", p.mmol());
            return row;
        }).toList());
        return json;
    }
}
