package org.ofsep.mwl.core.decision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ofsep.mwl.core.mapping.MappingDocument.ObservationCodes;
import org.ofsep.mwl.core.mapping.MappingDocument.Situation;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.TextMatch;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * The clinical context of one ordered procedure, read from its OBX segments (codes from the mapping) and,
 * when no MS-CONTEXT OBX is given, from the keyword rules applied to the reason (OBR-31) and the relevant
 * clinical info (OBR-13). A value that cannot be read is not guessed: it is left null and a note says so.
 *
 * <p>This record is what the OFSEP rules read ({@link OfsepRules.Input}): other sources of the same facts build
 * one too, and the engine is indifferent to where a fact came from.
 */
public record ClinicalContext(Set<Situation> situations, boolean msContextObx, boolean situationsFromText, String dmt,
                       LocalDate dmtStart, LocalDate priorMri, Boolean priorMri3dFlair, LocalDate lastSpineMri,
                       Boolean jcvPositive, BigDecimal jcvIndex, BigDecimal egfr, Boolean pregnant, Double weightKg,
                       List<String> notes) {

    static ClinicalContext read(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        ObservationCodes c = m.observationCodes();
        List<String> notes = new ArrayList<>();
        Set<Situation> situations = EnumSet.noneOf(Situation.class);
        boolean msContext = false;
        String dmt = null;
        LocalDate dmtStart = null;
        LocalDate priorMri = null;
        Boolean prior3d = null;
        LocalDate lastSpine = null;
        Boolean jcvPos = null;
        BigDecimal jcvIndex = null;
        BigDecimal egfr = null;
        Boolean pregnant = null;
        Double obxWeight = null;
        for (Observation o : procedure.observations()) {
            if (o == null || o.code() == null) {
                continue;
            }
            String v = o.value() == null ? "" : o.value().trim();
            if (is(o, c.weight().code(), c.weight().codingSystem())) {
                obxWeight = weightKg(o, notes);
                continue;
            }
            if (!is(o, null, c.codingSystem())) {
                continue;
            }
            String code = o.code().trim();
            if (code.equalsIgnoreCase(c.msContext())) {
                msContext = true;
                try {
                    situations.add(Situation.valueOf(v.toUpperCase(Locale.ROOT).replace(' ', '_')));
                } catch (IllegalArgumentException e) {
                    notes.add("Ignored " + c.msContext() + " value '" + v + "': not a known situation.");
                }
            } else if (code.equalsIgnoreCase(c.dmt())) {
                dmt = v.isEmpty() ? null : v;
            } else if (code.equalsIgnoreCase(c.dmtStart())) {
                dmtStart = date(v, c.dmtStart(), notes);
            } else if (code.equalsIgnoreCase(c.priorMri())) {
                priorMri = date(v, c.priorMri(), notes);
            } else if (code.equalsIgnoreCase(c.priorMri3dFlair())) {
                prior3d = yesNo(v, c.priorMri3dFlair(), notes);
            } else if (code.equalsIgnoreCase(c.lastSpineMri())) {
                lastSpine = date(v, c.lastSpineMri(), notes);
            } else if (code.equalsIgnoreCase(c.jcvStatus())) {
                jcvPos = jcv(v, c.jcvStatus(), notes);
            } else if (code.equalsIgnoreCase(c.jcvIndex())) {
                jcvIndex = number(v, c.jcvIndex(), notes);
            } else if (code.equalsIgnoreCase(c.egfr())) {
                egfr = number(v, c.egfr(), notes);
            } else if (code.equalsIgnoreCase(c.pregnant())) {
                pregnant = yesNo(v, c.pregnant(), notes);
            }
        }
        boolean fromText = false;
        if (situations.isEmpty() && !msContext) {
            String text = TextMatch.normalize(join(procedure.reason(), procedure.clinicalInfo()));
            for (var rule : m.keywordRules()) {
                if (rule.matches(text)) {
                    situations.add(rule.context());
                    fromText = true;
                }
            }
        }
        Double weight = order.weightKg() != null && order.weightKg() > 0 ? order.weightKg() : obxWeight;
        return new ClinicalContext(situations, msContext, fromText, dmt, dmtStart, priorMri, prior3d, lastSpine,
                jcvPos, jcvIndex, egfr, pregnant, weight, notes);
    }

    static String join(String a, String b) {
        return (a == null ? "" : a) + " \n " + (b == null ? "" : b);
    }

    private static boolean is(Observation o, String code, String system) {
        if (code != null && !o.code().trim().equalsIgnoreCase(code.trim())) {
            return false;
        }
        // an OBX without OBX-3.3 still counts: many RIS leave the coding system out
        return o.system() == null || o.system().isBlank() || system == null
                || o.system().trim().equalsIgnoreCase(system.trim());
    }

    private static Double weightKg(Observation o, List<String> notes) {
        BigDecimal n = number(o.value(), "weight", notes);
        if (n == null) {
            return null;
        }
        String u = o.units() == null ? "kg" : o.units().trim().toLowerCase(Locale.ROOT);
        double v = n.doubleValue();
        return switch (u) {
            case "g" -> v / 1000.0;
            case "lb", "lbs", "[lb_av]" -> v * 0.45359237;
            default -> v;
        };
    }

    /** HL7 DT/TS (YYYYMMDD, YYYYMMDDHHMM..., YYYYMM, YYYY) or ISO yyyy-MM-dd; partial dates take the first day. */
    static LocalDate parseDate(String v) {
        String s = v.trim();
        if (s.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            return LocalDate.parse(s.substring(0, 10));
        }
        if (s.matches("\\d{8}.*")) {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)));
        }
        if (s.matches("\\d{6}")) {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)), 1);
        }
        if (s.matches("\\d{4}")) {
            return LocalDate.of(Integer.parseInt(s), 1, 1);
        }
        throw new DateTimeParseException("not an HL7 date", s, 0);
    }

    private static LocalDate date(String v, String what, List<String> notes) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            return parseDate(v);
        } catch (RuntimeException e) {
            notes.add("Ignored " + what + " '" + v + "': not a date.");
            return null;
        }
    }

    /** NM as RIS send it: "0.45", "0,45" (French decimal comma), "<30", ">90". */
    static BigDecimal parseNumber(String v) {
        String s = v.trim().replace(',', '.').replace(" ", "");
        BigDecimal delta = BigDecimal.ZERO;
        if (s.startsWith("<=") || s.startsWith(">=")) {
            s = s.substring(2);
        } else if (s.startsWith("<")) {
            s = s.substring(1);
            delta = new BigDecimal("-0.001"); // "<30" is below 30
        } else if (s.startsWith(">")) {
            s = s.substring(1);
            delta = new BigDecimal("0.001");
        }
        return new BigDecimal(s).add(delta);
    }

    private static BigDecimal number(String v, String what, List<String> notes) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return parseNumber(v);
        } catch (NumberFormatException e) {
            notes.add("Ignored " + what + " '" + v + "': not a number.");
            return null;
        }
    }

    private static Boolean yesNo(String v, String what, List<String> notes) {
        if (v.isEmpty()) {
            return null;
        }
        return switch (TextMatch.normalize(v)) {
            case "y", "yes", "o", "oui", "1", "true" -> true;
            case "n", "no", "non", "0", "false" -> false;
            default -> {
                notes.add("Ignored " + what + " '" + v + "': expected Y or N.");
                yield null;
            }
        };
    }

    private static Boolean jcv(String v, String what, List<String> notes) {
        if (v.isEmpty()) {
            return null;
        }
        return switch (TextMatch.normalize(v)) {
            case "pos", "positive", "positif", "+" -> true;
            case "neg", "negative", "negatif", "-" -> false;
            default -> {
                notes.add("Ignored " + what + " '" + v + "': expected POS or NEG.");
                yield null;
            }
        };
    }
}
