package org.ofsep.mwl.dicom.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a dataset or command set from bytes in Implicit or Explicit VR Little Endian (PS3.5 section 7), with
 * sequences and items of defined and undefined length.
 *
 * <p>Defensive by construction, because the bytes come from the network: every length is checked against the bytes
 * that remain in the enclosing element, item or buffer before anything is allocated (so nothing larger than the
 * input is ever allocated), nested sequences are limited in depth, and every malformation is reported as a
 * {@link DicomCodecException} with the offset, never as a runtime exception.
 */
public final class DicomReader {

    /** Default limit of nested sequences (MWL and MPPS need 2 or 3). */
    public static final int DEFAULT_MAX_DEPTH = 16;

    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    private final byte[] buf;
    private final int maxDepth;
    private int pos;

    private DicomReader(byte[] buf, int offset, int maxDepth) {
        this.buf = buf;
        this.pos = offset;
        this.maxDepth = maxDepth;
    }

    /** Decodes a whole byte array in the given transfer syntax. */
    public static Attributes read(byte[] data, TransferSyntax ts) throws DicomCodecException {
        return read(data, 0, data.length, ts);
    }

    /** Decodes {@code length} bytes from {@code offset} in the given transfer syntax. */
    public static Attributes read(byte[] data, int offset, int length, TransferSyntax ts) throws DicomCodecException {
        return read(data, offset, length, ts, SpecificCharacterSet.DEFAULT, DEFAULT_MAX_DEPTH);
    }

    /**
     * Decodes with an explicit starting character set (for a dataset that inherits one) and depth limit.
     *
     * @throws UnsupportedCharacterSetException when (0008,0005) names a character set the gateway cannot decode
     * @throws DicomCodecException              for any other malformed or unsupported input
     */
    public static Attributes read(byte[] data, int offset, int length, TransferSyntax ts,
                                  SpecificCharacterSet charset, int maxDepth) throws DicomCodecException {
        if (ts == null || !ts.supported()) {
            throw new DicomCodecException("Unsupported transfer syntax " + (ts == null ? null : ts.uid()));
        }
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new DicomCodecException("Bad buffer bounds " + offset + "+" + length + " of " + data.length);
        }
        DicomReader reader = new DicomReader(data, offset, maxDepth);
        try {
            return reader.readDataset(offset + length, false, ts.explicitVR(), charset, 0);
        } catch (StackOverflowError e) {
            throw new DicomCodecException("Dataset nested too deeply");
        }
    }

    /** Decodes a DIMSE command set (always Implicit VR Little Endian, PS3.7 section 6.3.1). */
    public static Attributes readCommand(byte[] data) throws DicomCodecException {
        return read(data, TransferSyntax.IMPLICIT_VR_LE);
    }

    /** Decodes a command set from part of a buffer. */
    public static Attributes readCommand(byte[] data, int offset, int length) throws DicomCodecException {
        return read(data, offset, length, TransferSyntax.IMPLICIT_VR_LE);
    }

    // ------------------------------------------------------------------------------------------------------------

    private Attributes readDataset(int end, boolean untilItemDelimiter, boolean explicit, SpecificCharacterSet cs,
                                   int depth) throws DicomCodecException {
        Attributes attrs = new Attributes();
        while (true) {
            if (pos >= end) {
                if (untilItemDelimiter) {
                    throw error("Item of undefined length without Item Delimitation Item");
                }
                return attrs;
            }
            int start = pos;
            require(4, end);
            int tag = readTag();
            if (tag == Tag.ItemDelimitationItem) {
                require(4, end);
                pos += 4;
                if (!untilItemDelimiter) {
                    throw error("Unexpected Item Delimitation Item at " + start);
                }
                return attrs;
            }
            if (Tag.group(tag) == 0xFFFE) {
                throw error("Unexpected " + Tag.toString(tag) + " at " + start + " (item tag outside a sequence)");
            }
            VR vr;
            long length;
            if (explicit) {
                require(4, end);
                int c1 = buf[pos] & 0xFF;
                int c2 = buf[pos + 1] & 0xFF;
                vr = VR.fromCode(c1, c2);
                if (vr == null) {
                    throw error(String.format("Unknown VR %s at %d for %s", printable(c1, c2), start,
                            Tag.toString(tag)));
                }
                pos += 2;
                if (vr.hasLongHeader()) {
                    pos += 2; // reserved
                    require(4, end);
                    length = readUInt32();
                } else {
                    length = readUInt16();
                }
            } else {
                vr = ElementDictionary.vrOf(tag);
                require(4, end);
                length = readUInt32();
            }

            Object value;
            if (length == UNDEFINED_LENGTH) {
                if (vr == VR.SQ) {
                    value = readSequence(end, true, explicit, cs, depth + 1);
                } else if (vr == VR.UN) {
                    // PS3.5 6.2.2: an UN (or unknown implicit) element of undefined length is a sequence
                    // encoded in Implicit VR Little Endian.
                    vr = VR.SQ;
                    value = readSequence(end, true, false, cs, depth + 1);
                } else {
                    throw error("Undefined length for " + vr + " element " + Tag.toString(tag) + " at " + start
                            + " (encapsulated data is not supported)");
                }
            } else {
                if (length > end - pos) {
                    throw error("Value length " + length + " of " + Tag.toString(tag) + " at " + start
                            + " exceeds the " + (end - pos) + " bytes that remain");
                }
                int len = (int) length;
                if (explicit && vr == VR.UN) {
                    // An element sent as UN that the dictionary knows (e.g. by an SCU that lost the VR): use the
                    // dictionary VR, so a matching key is not mistaken for an empty (universal) one. A sequence
                    // inside UN is in Implicit VR Little Endian (PS3.5 6.2.2).
                    VR known = ElementDictionary.vrOf(tag);
                    if (known == VR.SQ) {
                        attrs.put(tag, VR.SQ, readSequence(pos + len, false, false, cs, depth + 1));
                        continue;
                    }
                    if (known != VR.UN) {
                        vr = known;
                    }
                }
                if (vr == VR.SQ) {
                    value = readSequence(pos + len, false, explicit, cs, depth + 1);
                } else {
                    value = decodeValue(vr, len, cs);
                    pos += len;
                }
            }
            attrs.put(tag, vr, value);
            if (tag == Tag.SpecificCharacterSet && value instanceof String[] s) {
                cs = SpecificCharacterSet.of(s);
            }
        }
    }

    private List<Attributes> readSequence(int end, boolean undefined, boolean explicit, SpecificCharacterSet cs,
                                          int depth) throws DicomCodecException {
        if (depth > maxDepth) {
            throw error("Sequences nested deeper than " + maxDepth);
        }
        List<Attributes> items = new ArrayList<>();
        while (true) {
            if (pos >= end) {
                if (undefined) {
                    throw error("Sequence of undefined length without Sequence Delimitation Item");
                }
                return items;
            }
            int start = pos;
            require(8, end);
            int tag = readTag();
            long length = readUInt32();
            if (tag == Tag.SequenceDelimitationItem) {
                if (!undefined) {
                    throw error("Sequence Delimitation Item in a sequence of defined length at " + start);
                }
                return items;
            }
            if (tag != Tag.Item) {
                throw error("Expected an Item in a sequence at " + start + ", found " + Tag.toString(tag));
            }
            if (length == UNDEFINED_LENGTH) {
                items.add(readDataset(end, true, explicit, cs, depth));
            } else {
                if (length > end - pos) {
                    throw error("Item length " + length + " at " + start + " exceeds the " + (end - pos)
                            + " bytes that remain");
                }
                int itemEnd = pos + (int) length;
                items.add(readDataset(itemEnd, false, explicit, cs, depth));
                pos = itemEnd;
            }
        }
    }

    private Object decodeValue(VR vr, int len, SpecificCharacterSet cs) {
        if (!vr.isString()) {
            return Arrays.copyOfRange(buf, pos, pos + len);
        }
        if (len == 0) {
            return new String[0];
        }
        String text = vr.usesSpecificCharacterSet()
                ? cs.decode(buf, pos, len)
                : new String(buf, pos, len, StandardCharsets.ISO_8859_1);
        if (vr.kind() == VR.Kind.TEXT) {
            return new String[] {trimTrailing(text)};
        }
        String[] values = splitValues(text);
        boolean leading = vr.leadingSpacesInsignificant();
        for (int i = 0; i < values.length; i++) {
            String v = trimTrailing(values[i]);
            values[i] = leading ? v.stripLeading() : v;
        }
        if (values.length == 1 && values[0].isEmpty()) {
            return new String[0];
        }
        return values;
    }

    /** The backslash-separated values of a multi-valued VR (as {@code split("\\\\", -1)}, without a regex). */
    static String[] splitValues(String text) {
        int sep = text.indexOf('\\');
        if (sep < 0) {
            return new String[] {text};
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (sep >= 0) {
            parts.add(text.substring(from, sep));
            from = sep + 1;
            sep = text.indexOf('\\', from);
        }
        parts.add(text.substring(from));
        return parts.toArray(new String[0]);
    }

    private static String trimTrailing(String s) {
        int n = s.length();
        while (n > 0 && (s.charAt(n - 1) == ' ' || s.charAt(n - 1) == '\0')) {
            n--;
        }
        return s.substring(0, n);
    }

    private void require(int n, int end) throws DicomCodecException {
        if (end - pos < n) {
            throw error("Truncated: " + n + " bytes needed at " + pos + ", " + Math.max(0, end - pos) + " remain");
        }
    }

    private int readTag() {
        int group = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        int element = (buf[pos + 2] & 0xFF) | (buf[pos + 3] & 0xFF) << 8;
        pos += 4;
        return group << 16 | element;
    }

    private int readUInt16() {
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    private long readUInt32() {
        long v = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16
                | (buf[pos + 3] & 0xFFL) << 24;
        pos += 4;
        return v;
    }

    private static String printable(int c1, int c2) {
        return (c1 >= 0x20 && c1 < 0x7F && c2 >= 0x20 && c2 < 0x7F)
                ? "'" + (char) c1 + (char) c2 + "'"
                : String.format("0x%02X%02X", c1, c2);
    }

    private static DicomCodecException error(String message) {
        return new DicomCodecException(message);
    }
}
