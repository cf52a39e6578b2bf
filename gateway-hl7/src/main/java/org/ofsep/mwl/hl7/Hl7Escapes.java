package org.ofsep.mwl.hl7;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

/**
 * Escape sequences HAPI 2.6 does not resolve. HAPI unescapes \F\ \S\ \T\ \R\ \E\ (and keeps formatting commands
 * such as \.br\), but drops the escape characters of \Xhh..\ (hexadecimal data), \H\ / \N\ (highlighting) and
 * the character set switches \Cxxyy\ / \Mxxyyzz\, leaving letters in the text. Before HAPI parses a message we
 * rewrite those: hexadecimal data becomes the characters it encodes (decoded with the message's charset, and
 * re-escaped when they are delimiters), highlighting and charset switches are removed. Hexadecimal data that is not
 * text in the message's charset (\XC9\ in a message declared ASCII or UTF-8, a C1 control in 8859) is refused as
 * the frame's bytes are (AR, 102, naming the field), never turned into U+FFFD on the worklist.
 */
public final class Hl7Escapes {

    private Hl7Escapes() {
    }

    public static String rewrite(String text, EncodingCharacters enc, Charset charset) {
        char esc = enc.getEscapeCharacter();
        if (text.indexOf(esc) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int close = c == esc && i + 2 < n ? text.indexOf(esc, i + 1) : -1;
            if (close < 0 || text.substring(i + 1, close).indexOf('\r') >= 0) {
                out.append(c);
                i++;
                continue;
            }
            String body = text.substring(i + 1, close);
            if (body.length() >= 3 && body.charAt(0) == 'X' && (body.length() - 1) % 2 == 0
                    && body.substring(1).matches("[0-9A-Fa-f]+")) {
                out.append(Escape.escape(hexToText(body.substring(1), charset, text, i, enc), enc));
                i = close + 1;
            } else if (body.equals("H") || body.equals("N")
                    || body.matches("C[0-9A-Fa-f]{4}") || body.matches("M[0-9A-Fa-f]{4}([0-9A-Fa-f]{2})?")) {
                i = close + 1;
            } else if (body.matches("[FSTRE]") || body.startsWith(".")) {
                // \F\ \S\ \T\ \R\ \E\ and formatting commands (\.br\): HAPI handles them; copy them whole so
                // their closing escape cannot be mistaken for the start of another sequence.
                out.append(text, i, close + 1);
                i = close + 1;
            } else {
                // not an escape sequence: copy the escape character alone and go on
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String hexToText(String hex, Charset charset, String text, int at, EncodingCharacters enc) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(hex.length() / 2);
        for (int k = 0; k < hex.length(); k += 2) {
            bytes.write(Integer.parseInt(hex.substring(k, k + 2), 16));
        }
        return Hl7Charsets.decodeStrict(bytes.toByteArray(), charset).orElseThrow(() -> {
            String field = field(text, at, enc.getFieldSeparator());
            // the message goes to the ACK and to the log at WARN: a long escape may hold a name or a clinical text
            // (\X5A4F52...\), so only a stray byte or two (an accent) is shown, else the length alone
            String shown = hex.length() <= 4 ? "\\X" + hex.toUpperCase(java.util.Locale.ROOT) + "\\"
                    : "(\\X...\\ of " + hex.length() / 2 + " bytes)";
            return new Hl7MessageException("AR", Hl7MessageException.DATA_TYPE_ERROR, field,
                    field + ": the hexadecimal escape " + shown + " is not valid " + charset.name()
                            + " text (the character set MSH-18 declares)");
        });
    }

    /** "PID-5" for a position in the message text (MSH-1 is the field separator itself). */
    private static String field(String text, int at, char fieldSeparator) {
        int start = Math.max(text.lastIndexOf('\r', at), text.lastIndexOf('\n', at)) + 1;
        int n = 0;
        for (int k = start; k < at; k++) {
            if (text.charAt(k) == fieldSeparator) {
                n++;
            }
        }
        String segment = text.substring(start, Math.min(start + 3, text.length()));
        return segment + "-" + (segment.equals("MSH") ? n + 1 : n);
    }
}
