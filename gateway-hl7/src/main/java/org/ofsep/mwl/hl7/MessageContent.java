package org.ofsep.mwl.hl7;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What makes two HL7 messages the same message: their content without MSH-7 (date/time of message, which a RIS
 * sets again when it retransmits), with segments compared as segments (CR, LF or CRLF, trailing separators and
 * empty lines do not count). Compared as SHA-256 hashes of that normal form.
 */
final class MessageContent {

    private MessageContent() {
    }

    static boolean sameMessage(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(a), hash(b));
    }

    /** SHA-256 of the message's normal form. */
    static byte[] hash(String message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(normalForm(message).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Segments joined by CR, each without trailing field separators or spaces; MSH-7 emptied. */
    static String normalForm(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (String segment : message.split("[\r\n]+")) {
            String s = segment.stripTrailing();
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("MSH") && s.length() > 3) {
                s = withoutMsh7(s);
            }
            int end = s.length();
            char fieldSeparator = s.startsWith("MSH") && s.length() > 3 ? s.charAt(3) : '|';
            while (end > 0 && s.charAt(end - 1) == fieldSeparator) {
                end--;
            }
            out.append(s, 0, end).append('\r');
        }
        return out.toString();
    }

    /** MSH-1 is the field separator itself: MSH-7 is the 6th field after it. */
    private static String withoutMsh7(String msh) {
        char sep = msh.charAt(3);
        String[] fields = msh.substring(4).split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        // fields[0] = MSH-2 (encoding characters), fields[5] = MSH-7
        if (fields.length > 5) {
            fields[5] = "";
        }
        return "MSH" + sep + String.join(String.valueOf(sep), fields);
    }
}
