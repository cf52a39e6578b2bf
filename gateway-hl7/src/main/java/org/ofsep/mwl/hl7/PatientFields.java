package org.ofsep.mwl.hl7;

import java.util.List;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.hl7.Hl7Segment.Hl7Field;

/** Reads patient demographics from PID (and the prior identifier from MRG), the same for orders and ADT. */
public final class PatientFields {

    private PatientFields() {
    }

    /**
     * PID-3 (the repetition typed PI when there is one, else the first with an ID), PID-5 (the legal name when
     * typed, else the first) as DICOM PN, PID-7, PID-8.
     *
     * @throws Hl7MessageException AE when PID-3 is empty, or PID-7 is not a date
     */
    public static Patient fromPid(Hl7Segment pid) {
        Hl7Field id = pickIdentifier(pid.repetitions(3));
        if (id == null) {
            throw Hl7MessageException.missingField("PID-3", "patient identifier");
        }
        String issuer = id.value(4, 1) != null ? id.value(4, 1) : id.value(4, 2);
        String name = personName(pickName(pid.repetitions(5)));
        return new Patient(id.value(1), issuer, name, Hl7Dates.date(pid.value(7), "PID-7"), sex(pid.value(8)));
    }

    /** The patient identifier field (CX) to use, or null when none has an ID. */
    static Hl7Field pickIdentifier(List<Hl7Field> reps) {
        Hl7Field first = null;
        for (Hl7Field rep : reps) {
            if (rep.value(1) == null) {
                continue;
            }
            if ("PI".equalsIgnoreCase(rep.value(5))) {
                return rep;
            }
            if (first == null) {
                first = rep;
            }
        }
        return first;
    }

    private static Hl7Field pickName(List<Hl7Field> reps) {
        for (Hl7Field rep : reps) {
            if ("L".equalsIgnoreCase(rep.value(7)) && rep.value(1) != null) {
                return rep;
            }
        }
        return reps.isEmpty() ? null : reps.get(0);
    }

    /** XPN (family&prefix^given^middle^suffix^prefix) to DICOM PN family^given^middle^prefix^suffix. */
    static String personName(Hl7Field xpn) {
        if (xpn == null) {
            return null;
        }
        return pn(xpn.value(1, 1), xpn.value(2), xpn.value(3), xpn.value(5), xpn.value(4));
    }

    /** XCN (id^family^given^middle^suffix^prefix) to DICOM PN. */
    static String personNameFromXcn(Hl7Field xcn) {
        if (xcn == null) {
            return null;
        }
        return pn(xcn.value(2, 1), xcn.value(3), xcn.value(4), xcn.value(6), xcn.value(5));
    }

    private static String pn(String family, String given, String middle, String prefix, String suffix) {
        String joined = String.join("^", component(family), component(given), component(middle), component(prefix),
                component(suffix));
        String trimmed = Hl7Segment.trimTrailing(joined, '^');
        return trimmed.isEmpty() ? null : trimmed;
    }

    /**
     * One name component as DICOM PN can hold it. A component separator sent escaped (\S\, e.g. "DUPONT\S\MARIE"
     * as one family name) is a literal character of that component, but DICOM PN has no escape: '^' and '=' always
     * separate components and groups, and '\\' values. They become a space, so the text stays in its component
     * (never "MARIE" as a given name). A line break becomes a space too.
     */
    static String component(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '^' || c == '=' || c == '\\' || c == '\r' || c == '\n') {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString().strip();
    }

    /** HL7 table 0001 to DICOM (0010,0040): M, F, O; unknown is left empty. */
    static String sex(String hl7) {
        if (hl7 == null) {
            return null;
        }
        return switch (hl7.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "M" -> "M";
            case "F" -> "F";
            case "O", "A", "N" -> "O";
            default -> null;
        };
    }
}
