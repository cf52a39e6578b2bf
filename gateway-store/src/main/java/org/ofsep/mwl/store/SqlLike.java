package org.ofsep.mwl.store;

/**
 * DICOM wildcard matching (PS3.4 C.2.2.2.4: '*' any sequence, '?' one character) as SQL LIKE with '!' as the
 * escape character, so literal '%', '_' and '!' in a value match only themselves.
 */
public final class SqlLike {

    public static final char ESCAPE = '!';

    private SqlLike() {
    }

    public static boolean hasWildcard(String value) {
        return value != null && (value.indexOf('*') >= 0 || value.indexOf('?') >= 0);
    }

    /** The LIKE pattern for a DICOM value with wildcards. */
    public static String pattern(String dicomValue) {
        StringBuilder sb = new StringBuilder(dicomValue.length() + 8);
        for (int i = 0; i < dicomValue.length(); i++) {
            char c = dicomValue.charAt(i);
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', ESCAPE -> sb.append(ESCAPE).append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A pattern with at most two '*' that every value matching {@code dicomValue} also matches: the first, second
     * and last of its '*'-separated parts are kept in order, the others dropped ("*A*B*C*D" -> "*A*D").
     */
    public static String atMostTwoStars(String dicomValue) {
        String[] parts = dicomValue.split("\\*", -1);
        if (parts.length <= 3) {
            return dicomValue;
        }
        return parts[0] + '*' + parts[1] + '*' + parts[parts.length - 1];
    }

    /** The characters before the first wildcard ("DUP*" -> "DUP"). */
    public static String literalPrefix(String dicomValue) {
        int i = 0;
        while (i < dicomValue.length() && dicomValue.charAt(i) != '*' && dicomValue.charAt(i) != '?') {
            i++;
        }
        return dicomValue.substring(0, i);
    }

    /** True when the value is only '*' (universal matching: no condition at all). */
    public static boolean isUniversal(String value) {
        if (value == null || value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '*') {
                return false;
            }
        }
        return true;
    }
}
