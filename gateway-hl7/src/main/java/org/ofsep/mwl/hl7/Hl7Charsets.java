package org.ofsep.mwl.hl7;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * MSH-18 character sets (HL7 table 0211) and strict decoding of an MLLP frame with the charset it declares.
 *
 * <p>Only ASCII-compatible sets are supported, so MSH itself can be read before the charset is known: ASCII (or
 * MSH-18 empty), 8859/1 to 8859/9 and 8859/15, UNICODE UTF-8. A frame whose bytes do not decode cleanly is not
 * "repaired": the caller refuses it (AR) and keeps a text in which every non-ASCII byte is written as the HL7 hex
 * escape {@code \Xhh\}, so an operator can see exactly which bytes arrived.
 */
public final class Hl7Charsets {

    private Hl7Charsets() {
    }

    /**
     * The DICOM Specific Character Set (0008,0005) for an MSH-18 value, for the worklist items of that message:
     * "ISO_IR 100" for 8859/1, "ISO_IR 192" for UNICODE (UTF-8); null otherwise (the item then takes the
     * narrowest set that holds the patient's name). The mapping the worklist has always applied; it is
     * narrower than {@link #dicomCharacterSet(Charset)}.
     */
    public static String itemCharacterSet(String msh18) {
        String v = msh18 == null ? "" : msh18.trim().toUpperCase(Locale.ROOT);
        if (v.startsWith("8859/1")) {
            return "ISO_IR 100";
        }
        if (v.startsWith("UNICODE")) {
            return "ISO_IR 192";
        }
        return null;
    }

    /** The Java charset for an MSH-18 value; empty when the value names a set we do not support. */
    public static Optional<Charset> forMsh18(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return Optional.of(StandardCharsets.US_ASCII);
        }
        String v = msh18.trim().toUpperCase(Locale.ROOT);
        switch (v) {
            case "ASCII":
                return Optional.of(StandardCharsets.US_ASCII);
            case "UNICODE UTF-8":
            case "UTF-8": // not in table 0211, but common and unambiguous
                return Optional.of(StandardCharsets.UTF_8);
            default:
                break;
        }
        if (v.startsWith("8859/")) {
            String part = v.substring(5);
            if (part.matches("[1-9]|15")) {
                return Optional.of(Charset.forName("ISO-8859-" + part));
            }
        }
        return Optional.empty();
    }

    /** The MSH-18 value for a charset we send in (null for ASCII: MSH-18 left empty). */
    public static String msh18For(Charset charset) {
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            return null;
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return "UNICODE UTF-8";
        }
        String name = charset.name();
        if (name.startsWith("ISO-8859-")) {
            return "8859/" + name.substring("ISO-8859-".length());
        }
        throw new IllegalArgumentException("no MSH-18 value for " + charset);
    }

    /** The DICOM Specific Character Set matching an HL7 charset, for the worklist item (null for ASCII). */
    public static String dicomCharacterSet(Charset charset) {
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            return null;
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return "ISO_IR 192";
        }
        return switch (charset.name()) {
            case "ISO-8859-1" -> "ISO_IR 100";
            case "ISO-8859-2" -> "ISO_IR 101";
            case "ISO-8859-3" -> "ISO_IR 109";
            case "ISO-8859-4" -> "ISO_IR 110";
            case "ISO-8859-5" -> "ISO_IR 144";
            case "ISO-8859-6" -> "ISO_IR 127";
            case "ISO-8859-7" -> "ISO_IR 126";
            case "ISO-8859-8" -> "ISO_IR 138";
            case "ISO-8859-9" -> "ISO_IR 148";
            case "ISO-8859-15" -> "ISO_IR 203";
            default -> null;
        };
    }

    /**
     * Decodes {@code bytes} with {@code charset}, refusing anything that is not clean text in that charset.
     *
     * @return the text, or empty when the bytes do not match (see {@link #firstMismatch})
     */
    public static Optional<String> decodeStrict(byte[] bytes, Charset charset) {
        if (firstMismatch(bytes, charset) >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(newDecoder(charset).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Offset of the first byte that does not belong to {@code charset}, or -1. In the ISO 8859 sets every byte
     * decodes to something, but 0x80-0x9F are C1 control codes that never occur in HL7 text: seeing one means the
     * sender really used UTF-8 or Windows-1252 while declaring 8859. In 8859-1 and 8859-15, a frame that is valid
     * UTF-8 and holds a UTF-8 two-byte sequence C2-DF then A1-BF is one too.
     */
    public static int firstMismatch(byte[] bytes, Charset charset) {
        if (isIso8859(charset)) {
            boolean western = charset.name().equals("ISO-8859-1") || charset.name().equals("ISO-8859-15");
            int utf8Pair = -1;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xFF;
                if (b >= 0x80 && b <= 0x9F) {
                    return i;
                }
                // UTF-8 declared as Latin-1: "é" is C3 A9, read "Ã©", and the C1 test above misses it (é è ç ê ô û).
                // A RIS that declared 8859/1 and sent UTF-8 had its text misread: a written Gd allergy was missed.
                // A lead byte C2-DF then A1-BF: an accented capital right before a symbol; then A0 is left out ("à"
                // in UTF-8, but also an accented capital before a no-break space, as French typing puts before ":")
                if (western && utf8Pair < 0 && b >= 0xC2 && b <= 0xDF && i + 1 < bytes.length) {
                    int next = bytes[i + 1] & 0xFF;
                    if (next >= 0xA1 && next <= 0xBF) {
                        utf8Pair = i;
                    }
                }
            }
            // and only when the whole frame is valid UTF-8: Latin-1 text holds accented letters before ASCII too
            // ("é " is E9 20), which UTF-8 never does
            return utf8Pair >= 0 && firstMismatch(bytes, StandardCharsets.UTF_8) < 0 ? utf8Pair : -1;
        }
        CharsetDecoder decoder = newDecoder(charset);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return in.position();
        }
        result = decoder.flush(out);
        return result.isError() ? in.position() : -1;
    }

    /**
     * The text kept for a frame that was refused for its bytes: ASCII bytes as they are, every other byte written
     * as the HL7 hex escape {@code \Xhh\}. Nothing is guessed, and the original bytes can be recovered exactly.
     */
    public static String bestEffort(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length + 16);
        for (byte value : bytes) {
            int b = value & 0xFF;
            if (b < 0x80) {
                text.append((char) b);
            } else {
                hex(text, b);
            }
        }
        return text.toString();
    }

    private static void hex(StringBuilder text, int b) {
        text.append("\\X").append(String.format("%02X", b)).append('\\');
    }

    private static boolean isIso8859(Charset charset) {
        return charset.name().startsWith("ISO-8859-");
    }

    private static CharsetDecoder newDecoder(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
