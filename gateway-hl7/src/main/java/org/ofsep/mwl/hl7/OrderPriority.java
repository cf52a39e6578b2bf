package org.ofsep.mwl.hl7;

import java.util.Locale;
import java.util.Map;
import org.ofsep.mwl.core.domain.RequestedPriority;

/**
 * The order's priority, read at the HL7 edge and mapped to Requested Procedure Priority (0040,1003): the one place
 * where an HL7 priority code becomes a DICOM defined term.
 *
 * <p>Where: TQ1-9 (Priority, CWE, from v2.5; the procedure's TQ1, else the order's), else ORC-7.6, else OBR-27.6
 * (the priority component of the TQ data type of older messages). The first of them that holds a code gives the
 * priority; a later field is not read when an earlier one holds a code, even one that maps to nothing (that code is
 * what the RIS said).
 *
 * <p>The codes (HL7 table 0485, Extended Priority Codes, for TQ1-9; table 0027 for the TQ priority, whose codes are
 * the same letters) and the DICOM defined terms (PS3.3 Requested Procedure module: STAT, HIGH, ROUTINE, MEDIUM, LOW):
 * <pre>
 *   S  Stat             -> STAT
 *   A  ASAP             -> HIGH
 *   T  Timing critical  -> HIGH
 *   R  Routine          -> ROUTINE
 *   anything else       -> none: P (Preop), C (Callback), PRN, TS&lt;n&gt;, TM&lt;n&gt;... (timing critical within a
 *                          delay), a site's own code
 * </pre>
 * A code that maps to none leaves the attribute empty on the worklist; it never refuses the order. Codes are
 * compared without case and surrounding spaces.
 */
public final class OrderPriority {

    /** HL7 priority code to DICOM defined term; a code not listed here gives no priority. */
    static final Map<String, RequestedPriority> CODES = Map.of(
            "S", RequestedPriority.STAT,
            "A", RequestedPriority.HIGH,
            "T", RequestedPriority.HIGH,
            "R", RequestedPriority.ROUTINE);

    private OrderPriority() {
    }

    /** The DICOM term of one HL7 priority code; null for an empty code or one that maps to none. */
    public static RequestedPriority of(String hl7Code) {
        if (hl7Code == null || hl7Code.isBlank()) {
            return null;
        }
        return CODES.get(hl7Code.strip().toUpperCase(Locale.ROOT));
    }

    /**
     * The priority of one procedure: the code of TQ1-9 (its first repetition's identifier), else of ORC-7.6, else of
     * OBR-27.6, mapped by {@link #of}.
     *
     * @param tq1 the procedure's TQ1 (or its order's), null when the message has none
     */
    static RequestedPriority of(Hl7Segment tq1, Hl7Segment orc, Hl7Segment obr) {
        return of(code(tq1, orc, obr));
    }

    /** The HL7 code the priority is read from (see the class comment), or null when no field holds one. */
    static String code(Hl7Segment tq1, Hl7Segment orc, Hl7Segment obr) {
        String[] sources = {
            tq1 == null ? null : tq1.value(9, 1),
            orc == null ? null : orc.value(7, 6),
            obr == null ? null : obr.value(27, 6)};
        for (String code : sources) {
            if (code != null && !code.isBlank()) {
                return code;
            }
        }
        return null;
    }
}
