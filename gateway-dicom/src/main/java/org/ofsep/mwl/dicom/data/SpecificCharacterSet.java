package org.ofsep.mwl.dicom.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Specific Character Set (0008,0005) of a dataset (PS3.3 C.12.1.1.2, PS3.5 section 6.1): how SH, LO, ST, LT, PN,
 * UC and UT values are turned into bytes.
 *
 * <p>Supported: the default repertoire ISO_IR 6 (ASCII), ISO_IR 100 (Latin-1), ISO_IR 192 (UTF-8), the other
 * single-byte ISO 8859 sets (ISO_IR 101, 109, 110, 144, 127, 126, 138, 148, 203, 166), GB18030 and GBK, and the
 * ISO 2022 forms of ISO_IR 6 / ISO_IR 100 when used as a single value (no code extension switching). Anything with
 * code extensions (e.g. "\ISO 2022 IR 87" for Japanese) is refused with {@link UnsupportedCharacterSetException}.
 *
 * <p>Decoding the default repertoire is lenient: bytes above 0x7F (sent by consoles that forget to declare
 * Latin-1) are read as Latin-1 rather than rejected.
 */
public final class SpecificCharacterSet {

    /** ISO_IR 6, the default repertoire: no (0008,0005) in the dataset. */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(null, StandardCharsets.US_ASCII);
    public static final SpecificCharacterSet ISO_IR_100 = new SpecificCharacterSet("ISO_IR 100", StandardCharsets.ISO_8859_1);
    public static final SpecificCharacterSet ISO_IR_192 = new SpecificCharacterSet("ISO_IR 192", StandardCharsets.UTF_8);

    private static final Map<String, String> SINGLE_VALUE = Map.ofEntries(
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"));

    /** "\ISO 2022 IR 100": Latin-1 with ISO 2022 designation escapes (ESC - A, ESC ( B) around the accents. */
    private static final SpecificCharacterSet ISO_2022_IR_100 =
            new SpecificCharacterSet("\\ISO 2022 IR 100", StandardCharsets.ISO_8859_1, true);

    private final String term;
    private final Charset charset;
    private final boolean iso2022Escapes;

    private SpecificCharacterSet(String term, Charset charset) {
        this(term, charset, false);
    }

    private SpecificCharacterSet(String term, Charset charset, boolean iso2022Escapes) {
        this.term = term;
        this.charset = charset;
        this.iso2022Escapes = iso2022Escapes;
    }

    /**
     * The character set named by the values of (0008,0005); null, empty or blank values mean the default.
     *
     * @throws UnsupportedCharacterSetException for a value or a combination the gateway cannot handle
     */
    public static SpecificCharacterSet of(String... values) throws UnsupportedCharacterSetException {
        if (values == null || values.length == 0) {
            return DEFAULT;
        }
        if (values.length == 1 && values[0] != null) {
            // the common single values without the general path's copying (a dataset declares one per item)
            SpecificCharacterSet common = common(values[0]);
            if (common != null) {
                return common;
            }
        }
        String[] v = Arrays.stream(values).map(s -> s == null ? "" : s.strip()).toArray(String[]::new);
        if (v.length == 2 && (v[0].isEmpty() || "ISO 2022 IR 6".equals(v[0])) && "ISO 2022 IR 100".equals(v[1])) {
            // ASCII in G0 and Latin-1 in G1 with code extensions: Latin-1 once the designation escapes are removed
            return ISO_2022_IR_100;
        }
        if (v.length > 1) {
            // Code extensions: only acceptable when every value is a no-op on top of the first one.
            for (int i = 1; i < v.length; i++) {
                if (!v[i].isEmpty() && !v[i].equals(v[0]) && !"ISO 2022 IR 6".equals(v[i])) {
                    throw new UnsupportedCharacterSetException(String.join("\\", values));
                }
            }
        }
        String first = v[0];
        SpecificCharacterSet common = common(first);
        if (common != null) {
            return common;
        }
        String java = SINGLE_VALUE.get(first);
        if (java == null || v.length > 1 || !Charset.isSupported(java)) {
            throw new UnsupportedCharacterSetException(String.join("\\", values));
        }
        return new SpecificCharacterSet(first, Charset.forName(java));
    }

    /** The character sets the gateway itself answers in, by their (stripped) value; null for any other. */
    private static SpecificCharacterSet common(String value) {
        return switch (value) {
            case "", "ISO_IR 6", "ISO 2022 IR 6" -> DEFAULT;
            case "ISO_IR 100", "ISO 2022 IR 100" -> ISO_IR_100;
            case "ISO_IR 192" -> ISO_IR_192;
            default -> null;
        };
    }

    /**
     * The narrowest of the gateway's answer character sets that can encode all {@code values}: the default
     * repertoire when all ASCII, else ISO_IR 100 when Latin-1 is enough, else ISO_IR 192. {@code preferred} (the
     * item's own charset, e.g. "ISO_IR 192"), when it can encode everything, wins over the narrowest.
     */
    public static SpecificCharacterSet bestFor(String preferred, Iterable<String> values) {
        boolean ascii = true;
        boolean latin1 = true;
        for (String s : values) {
            if (s == null) {
                continue;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c > 0x7F) {
                    ascii = false;
                }
                if (c > 0xFF) {
                    latin1 = false;
                }
            }
        }
        return bestFor(preferred, !ascii ? (latin1 ? 0xFF : 0xFFFF) : 0);
    }

    /**
     * {@link #bestFor(String, Iterable)} for values whose UTF-16 code units OR-ed together give {@code charBits}
     * (see {@code Attributes.stringCharBits}; the highest code unit works as well): above 0x7F means some value
     * is not ASCII, above 0xFF that some is not Latin-1.
     */
    public static SpecificCharacterSet bestFor(String preferred, int charBits) {
        if (charBits <= 0x7F) {
            return DEFAULT;
        }
        if ("ISO_IR 192".equals(preferred)) {
            return ISO_IR_192;
        }
        return charBits <= 0xFF ? ISO_IR_100 : ISO_IR_192;
    }

    /** The (0008,0005) value, null for the default repertoire. */
    public String term() {
        return term;
    }

    public Charset charset() {
        return charset;
    }

    public boolean isDefault() {
        return term == null;
    }

    /** Decodes a value's bytes; malformed sequences become U+FFFD, never an exception. */
    public String decode(byte[] bytes, int offset, int length) {
        if (iso2022Escapes) {
            return new String(stripDesignations(bytes, offset, length), StandardCharsets.ISO_8859_1);
        }
        if (charset == StandardCharsets.US_ASCII) {
            // Lenient: undeclared 8-bit text is most often Latin-1.
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        return new String(bytes, offset, length, charset);
    }

    /** The bytes without the ISO 2022 designations of ASCII (ESC ( B) and Latin-1 (ESC - A). */
    private static byte[] stripDesignations(byte[] bytes, int offset, int length) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == 0x1B && i + 2 < end
                    && ((bytes[i + 1] == '(' && bytes[i + 2] == 'B') || (bytes[i + 1] == '-' && bytes[i + 2] == 'A'))) {
                i += 2;
                continue;
            }
            out.write(bytes[i]);
        }
        return out.toByteArray();
    }

    /** Encodes a value; characters this set cannot represent become '?'. */
    public byte[] encode(String value) {
        return value.getBytes(charset);
    }

    /** True when every character of {@code value} can be encoded in this set. */
    public boolean canEncode(String value) {
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer ignored = encoder.encode(CharBuffer.wrap(value));
            return ignored != null;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return term == null ? "ISO_IR 6" : term;
    }
}
