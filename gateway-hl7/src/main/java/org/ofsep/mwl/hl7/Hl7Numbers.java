package org.ofsep.mwl.hl7;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.order.ObservedNumber;

/**
 * Observation values (OBX-5) read as numbers, as RIS send them: HL7 NM ({@code 0.45}, {@code -2}), the French
 * decimal comma ({@code 0,45}), spaces ({@code 1 250}, no-break ones too), and a laboratory's bound ({@code <30},
 * {@code >90}, {@code <=30}, {@code >=30}, {@code ≤ 30}, {@code ≥ 30}). Lenient: a value that is not a number is null (the decision notes it when it
 * needed one), never a refusal of the order.
 */
public final class Hl7Numbers {

    /** A decimal once the comma, the spaces and the bound are taken off (checked before BigDecimal: no exception). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,3})?");

    private Hl7Numbers() {
    }

    public static ObservedNumber observationNumber(String value) {
        if (value == null) {
            return null;
        }
        // French typography: a no-break or narrow no-break space groups thousands; '≤' and '≥' are typed for bounds
        String s = value.trim().replace(',', '.').replace(" ", "").replace("\u00A0", "").replace("\u202F", "")
                .replace("\u2264", "<=").replace("\u2265", ">=");
        ObservedNumber.Comparator comparator = ObservedNumber.Comparator.EQ;
        if (s.startsWith("<=")) {
            comparator = ObservedNumber.Comparator.LE;
            s = s.substring(2);
        } else if (s.startsWith(">=")) {
            comparator = ObservedNumber.Comparator.GE;
            s = s.substring(2);
        } else if (s.startsWith("<")) {
            comparator = ObservedNumber.Comparator.LT;
            s = s.substring(1);
        } else if (s.startsWith(">")) {
            comparator = ObservedNumber.Comparator.GT;
            s = s.substring(1);
        }
        if (!DECIMAL.matcher(s).matches()) {
            return null;
        }
        return new ObservedNumber(new BigDecimal(s), comparator);
    }
}
