package org.ofsep.mwl.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One MLLP frame decoded with the character set its MSH-18 declares.
 *
 * @param text          the message as Unicode text; for a refused frame, its ASCII bytes with every other byte
 *                      as {@code \Xhh\}
 * @param charset       the declared charset when supported, else null
 * @param header        MSH fields read from the text
 * @param charsetError  why the bytes were refused, or null when they matched the declared charset
 */
public record InboundFrame(String text, Charset charset, MshHeader header, String charsetError) {

    /** Start of the error text of a frame refused for its bytes (also found in the message log). */
    public static final String CHARSET_MISMATCH = "the message bytes do not match the character set declared";

    /** Decodes a frame's bytes. Never throws: a mismatch is reported in {@link #charsetError}. */
    public static InboundFrame decode(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            // a UTF-8 byte order mark some engines write before MSH: not part of the message (it hid MSH, and the
            // refusal said "MSH-18 empty" of a message that declared UNICODE UTF-8); the bytes after it are then
            // checked against MSH-18 as any message's
            bytes = java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        // Every supported set is ASCII-compatible, so MSH can be read byte for byte before the charset is known.
        MshHeader provisional = MshHeader.read(new String(bytes, StandardCharsets.ISO_8859_1));
        String declared = provisional.characterSet();
        Optional<Charset> charset = Hl7Charsets.forMsh18(declared);
        if (charset.isEmpty()) {
            String text = Hl7Charsets.bestEffort(bytes);
            return new InboundFrame(text, null, MshHeader.read(text),
                    "MSH-18 character set '" + declared + "' is not supported (use ASCII, 8859/1 to 8859/9, 8859/15 or UNICODE UTF-8)");
        }
        Charset cs = charset.get();
        Optional<String> text = Hl7Charsets.decodeStrict(bytes, cs);
        if (text.isPresent()) {
            return new InboundFrame(text.get(), cs, MshHeader.read(text.get()), null);
        }
        int offset = Hl7Charsets.firstMismatch(bytes, cs);
        String best = Hl7Charsets.bestEffort(bytes);
        String where = offset >= 0 && offset < bytes.length
                ? String.format("byte 0x%02X at offset %d", bytes[offset] & 0xFF, offset)
                : "some bytes";
        String name = declared == null || declared.isBlank() ? "ASCII (MSH-18 empty)" : declared;
        // a UTF-8 character found in a frame declared ISO 8859: its bytes are valid 8859 each, the frame is UTF-8
        boolean utf8 = cs.name().startsWith("ISO-8859-") && offset >= 0 && offset + 1 < bytes.length
                && (bytes[offset] & 0xFF) >= 0xC2;
        String why = utf8 ? String.format("the frame is UTF-8 (bytes 0x%02X 0x%02X at offset %d are one UTF-8 character),"
                + " not %s", bytes[offset] & 0xFF, bytes[offset + 1] & 0xFF, offset, cs.name())
                : where + " is not valid " + cs.name();
        return new InboundFrame(best, cs, MshHeader.read(best),
                CHARSET_MISMATCH + " in MSH-18: " + name + ", but " + why);
    }

    /** A message already held as text (replay from the message log): no charset check to do. */
    public static InboundFrame ofText(String text) {
        MshHeader header = MshHeader.read(text);
        Charset cs = Hl7Charsets.forMsh18(header.characterSet()).orElse(StandardCharsets.UTF_8);
        return new InboundFrame(text, cs, header, null);
    }

    /** The charset the ACK is written in: the message's when usable, else ASCII. */
    public Charset ackCharset() {
        return charset == null || charsetError != null ? StandardCharsets.US_ASCII : charset;
    }
}
