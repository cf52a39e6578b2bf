package org.ofsep.mwl.core.order;

import java.math.BigDecimal;
import org.ofsep.mwl.core.domain.PartialDate;

/**
 * One OBX of an order. The text of OBX-5 is kept so the decision can read any configured code (CE/CWE codes,
 * yes/no answers, treatment names, free text); what it says as a date or a number is typed by the edge that
 * parsed the message (gateway-hl7 reads HL7 TS/DT and NM there), so the core never parses an HL7 value.
 *
 * @param code       OBX-3.1 identifier (e.g. "MS-CONTEXT", "29463-7")
 * @param system     OBX-3.3 coding system (e.g. "99OFSEP", "LN")
 * @param valueType  OBX-2 (CE, CWE, DT, NM, ST, ...)
 * @param value      OBX-5 first component (for CE/CWE the code), unescaped
 * @param units      OBX-6.1 (the unit of {@code number}), null when absent
 * @param date       OBX-5 read as a date (to the day, month or year), null when it is not one
 * @param number     OBX-5 read as a number, null when it is not one
 * @param label      OBX-3.2, the observation's name as the RIS or laboratory writes it ("Anti-JCV antibody index",
 *                   "DFG CKD-EPI"), null when absent: what a local code that the mapping does not list is read by.
 *                   Not part of what the observation is: two observations that differ only in it are equal
 */
public record Observation(String code, String system, String valueType, String value, String units,
                          PartialDate date, ObservedNumber number, String label) {

    public Observation {
        units = units == null || units.isBlank() ? null : units.trim();
        label = label == null || label.isBlank() ? null : label.trim();
    }

    /** An observation without its name. */
    public Observation(String code, String system, String valueType, String value, String units,
                       PartialDate date, ObservedNumber number) {
        this(code, system, valueType, value, units, date, number, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Observation x && java.util.Objects.equals(code, x.code)
                && java.util.Objects.equals(system, x.system) && java.util.Objects.equals(valueType, x.valueType)
                && java.util.Objects.equals(value, x.value) && java.util.Objects.equals(units, x.units)
                && java.util.Objects.equals(date, x.date) && java.util.Objects.equals(number, x.number);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(code, system, valueType, value, units, date, number);
    }

    /** An observation whose value is neither a date nor a number (a code, a yes/no answer, text). */
    public Observation(String code, String system, String valueType, String value, String units) {
        this(code, system, valueType, value, units, null, null);
    }

    /** A date observation (the value's text is the ISO form of the date). */
    public static Observation ofDate(String code, String system, PartialDate date) {
        return new Observation(code, system, "DT", date.toString(), null, date, null);
    }

    /** A number observation with its unit (null for none). */
    public static Observation ofNumber(String code, String system, BigDecimal value, String units) {
        return new Observation(code, system, "NM", value.toPlainString(), units, null,
                new ObservedNumber(value, ObservedNumber.Comparator.EQ));
    }
}
