package org.ofsep.mwl.core.order;

/**
 * Free text from the order (a reason, a procedure's text) that lands in a DICOM LO value (64 characters). Unlike
 * identifiers, which are refused when too long, free text is cut so the order still goes through, but never
 * silently: at a word boundary, marked with "...", with a WARN in the log and a note in the decision's reasons
 * (the board's "why this protocol" and Requested Procedure Comments).
 */
public final class FreeText {

    /** DICOM LO (PS3.5 Table 6.2-1). */
    public static final int LO = 64;

    private static final String MARK = "...";

    private FreeText() {
    }

    /** True when {@code value} does not fit {@code max} characters. */
    public static boolean tooLong(String value, int max) {
        return value != null && value.strip().codePointCount(0, value.strip().length()) > max;
    }

    /**
     * {@code value} cut to at most {@code max} characters at the last word boundary that leaves room for "..."
     * (or mid-word when one word is longer than half the room), or the value itself when it fits.
     */
    public static String cut(String value, int max) {
        if (!tooLong(value, max)) {
            return value;
        }
        String v = value.strip();
        int room = max - MARK.length();
        int end = v.offsetByCodePoints(0, room);
        int space = -1;
        for (int i = end; i > 0; i--) {
            if (Character.isWhitespace(v.charAt(i))) {
                space = i;
                break;
            }
        }
        if (space >= room / 2) {
            end = space;
        }
        String head = v.substring(0, end).stripTrailing();
        while (!head.isEmpty() && ",;:-/".indexOf(head.charAt(head.length() - 1)) >= 0) {
            head = head.substring(0, head.length() - 1).stripTrailing();
        }
        return head + MARK;
    }
}
