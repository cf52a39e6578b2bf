package org.ofsep.mwl.hl7;

/**
 * The few MSH fields the gateway needs before (and even without) a full parse: who sent the message, its control
 * ID, type, version and declared character set. Read leniently so that a message HAPI cannot parse can still be
 * logged and answered with an ACK that names it.
 *
 * @param fieldSeparator      MSH-1, '|' when the message does not start with MSH
 * @param encodingCharacters  MSH-2, "^~\&" when absent
 * @param sendingApplication  MSH-3.1
 * @param sendingFacility     MSH-4.1
 * @param receivingApplication MSH-5.1
 * @param receivingFacility   MSH-6.1
 * @param messageCode         MSH-9.1 (ORM, OMI, ADT...)
 * @param triggerEvent        MSH-9.2 (O01, O23, A08...)
 * @param controlId           MSH-10
 * @param processingId        MSH-11.1
 * @param version             MSH-12.1 (2.3.1, 2.4, 2.5, 2.5.1)
 * @param characterSet        MSH-18, first repetition, or null
 */
public record MshHeader(char fieldSeparator, String encodingCharacters, String sendingApplication,
                        String sendingFacility, String receivingApplication, String receivingFacility,
                        String messageCode, String triggerEvent, String controlId, String processingId,
                        String version, String characterSet) {

    private static final String DEFAULT_ENCODING_CHARACTERS = "^~\\&";

    /** An empty header for input that does not start with MSH. */
    public static MshHeader none() {
        return new MshHeader('|', DEFAULT_ENCODING_CHARACTERS, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** True when the input started with an MSH segment. */
    public boolean present() {
        return messageCode != null || controlId != null || version != null || sendingApplication != null;
    }

    /** MSH-9 as "ORM^O01", or null. */
    public String messageType() {
        if (messageCode == null) {
            return null;
        }
        return triggerEvent == null ? messageCode : messageCode + "^" + triggerEvent;
    }

    /** Sender key for idempotency: "MSH-3^MSH-4" (facility omitted when empty). */
    public String sender() {
        String app = sendingApplication == null ? "" : sendingApplication;
        return sendingFacility == null ? app : app + "^" + sendingFacility;
    }

    /**
     * Reads the MSH segment at the start of {@code text}. Never throws: fields that cannot be read are null.
     */
    public static MshHeader read(String text) {
        if (text == null) {
            return none();
        }
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (!text.startsWith("MSH", start) || text.length() < start + 8) {
            return none();
        }
        char fieldSep = text.charAt(start + 3);
        int end = start;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
            end++;
        }
        String segment = text.substring(start, end);
        String[] fields = split(segment, fieldSep);
        // fields[0] = "MSH", fields[1] = MSH-2; MSH-n is fields[n - 1] because MSH-1 is the separator itself.
        String encoding = fields.length > 1 && fields[1].length() >= 2 ? fields[1] : DEFAULT_ENCODING_CHARACTERS;
        char componentSep = encoding.charAt(0);
        char repetitionSep = encoding.length() > 1 ? encoding.charAt(1) : '~';
        String[] msh9 = components(field(fields, 9), componentSep);
        return new MshHeader(fieldSep, encoding,
                first(field(fields, 3), componentSep),
                first(field(fields, 4), componentSep),
                first(field(fields, 5), componentSep),
                first(field(fields, 6), componentSep),
                msh9.length > 0 ? emptyToNull(msh9[0]) : null,
                msh9.length > 1 ? emptyToNull(msh9[1]) : null,
                emptyToNull(field(fields, 10)),
                first(field(fields, 11), componentSep),
                first(field(fields, 12), componentSep),
                first(field(fields, 18), repetitionSep));
    }

    private static String field(String[] fields, int n) {
        return n - 1 < fields.length ? fields[n - 1] : null;
    }

    private static String[] components(String value, char sep) {
        if (value == null || value.isEmpty()) {
            return new String[0];
        }
        String[] parts = split(value, sep);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    /**
     * {@code value} split at every {@code sep}, empty parts kept (trailing ones too): what
     * {@code value.split(Pattern.quote(sep), -1)} gives, without compiling a pattern for each field of each message.
     */
    static String[] split(String value, char sep) {
        int count = 1;
        for (int i = value.indexOf(sep); i >= 0; i = value.indexOf(sep, i + 1)) {
            count++;
        }
        String[] parts = new String[count];
        int from = 0;
        for (int k = 0; k < count - 1; k++) {
            int at = value.indexOf(sep, from);
            parts[k] = value.substring(from, at);
            from = at + 1;
        }
        parts[count - 1] = value.substring(from);
        return parts;
    }

    private static String first(String value, char sep) {
        String[] parts = components(value, sep);
        return parts.length == 0 ? null : emptyToNull(parts[0]);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
