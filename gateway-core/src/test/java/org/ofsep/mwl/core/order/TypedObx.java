package org.ofsep.mwl.core.order;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.ofsep.mwl.core.domain.PartialDate;

/**
 * Test observations typed as the HL7 edge types them (gateway-hl7 reads HL7 dates and numbers; its own tests
 * cover the HL7 forms). Here: a {@link LocalDate} or a plain yyyyMMdd text is a date, a plain decimal with an
 * optional bound ({@code <2}, {@code >90}) is a number; anything else stays untyped.
 */
public final class TypedObx {

    private TypedObx() {
    }

    public static Observation of(String code, String system, String type, Object value, String units) {
        if (value instanceof LocalDate d) {
            return new Observation(code, system, type, d.toString(), units,
                    PartialDate.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), null);
        }
        String v = value == null ? null : String.valueOf(value);
        PartialDate date = null;
        if (v != null && v.matches("\\d{8}")) {
            LocalDate d = LocalDate.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
                    Integer.parseInt(v.substring(6, 8)));
            date = PartialDate.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        }
        return new Observation(code, system, type, v, units, date, number(v));
    }

    private static ObservedNumber number(String v) {
        if (v == null || !v.matches("[<>]?=?-?\\d+(\\.\\d+)?")) {
            return null;
        }
        ObservedNumber.Comparator c = v.startsWith("<=") ? ObservedNumber.Comparator.LE
                : v.startsWith(">=") ? ObservedNumber.Comparator.GE
                : v.startsWith("<") ? ObservedNumber.Comparator.LT
                : v.startsWith(">") ? ObservedNumber.Comparator.GT : ObservedNumber.Comparator.EQ;
        return new ObservedNumber(new BigDecimal(v.replaceFirst("^[<>]=?", "")), c);
    }
}
