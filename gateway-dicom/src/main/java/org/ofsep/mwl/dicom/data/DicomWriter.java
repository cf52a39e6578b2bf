package org.ofsep.mwl.dicom.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes datasets and command sets in Implicit or Explicit VR Little Endian (PS3.5 section 7).
 *
 * <p>Values are padded to an even length with the VR's padding byte (NUL for UI and binary, space for text);
 * string values are encoded with the Specific Character Set of their dataset (or the one inherited from the
 * enclosing dataset, for sequence items). Group length elements (gggg,0000) are not written in datasets (they are
 * retired there); {@link #writeCommand} computes the mandatory Command Group Length.
 *
 * <p>Sequences and items are written all with defined length or all with undefined length ({@link SequenceLength}).
 * In Explicit VR, a value too long for a 2-byte length field is written as UN with a 4-byte length (PS3.5 6.2.2).
 */
public final class DicomWriter {

    /** How sequences and their items are delimited. */
    public enum SequenceLength {
        /** Explicit lengths for sequences and items (what most modality consoles expect). */
        DEFINED,
        /** Undefined lengths with Item and Sequence Delimitation Items. */
        UNDEFINED
    }

    private final boolean explicit;
    private final SequenceLength sequenceLength;

    private DicomWriter(TransferSyntax ts, SequenceLength sequenceLength) {
        if (ts == null || !ts.supported()) {
            throw new IllegalArgumentException("Unsupported transfer syntax " + (ts == null ? null : ts.uid()));
        }
        this.explicit = ts.explicitVR();
        this.sequenceLength = sequenceLength;
    }

    /** Encodes a dataset with sequences of defined length. */
    public static byte[] write(Attributes dataset, TransferSyntax ts) {
        return write(dataset, ts, SequenceLength.DEFINED);
    }

    public static byte[] write(Attributes dataset, TransferSyntax ts, SequenceLength sequenceLength) {
        Out out = new Out(1024);
        new DicomWriter(ts, sequenceLength).writeDataset(dataset, SpecificCharacterSet.DEFAULT, out, true);
        return out.toByteArray();
    }

    public static void write(Attributes dataset, TransferSyntax ts, SequenceLength sequenceLength, OutputStream out)
            throws IOException {
        out.write(write(dataset, ts, sequenceLength));
    }

    /**
     * Encodes a DIMSE command set in Implicit VR Little Endian, starting with Command Group Length (0000,0000)
     * computed from the other group 0000 elements (any (0000,0000) in {@code command} is ignored).
     */
    public static byte[] writeCommand(Attributes command) {
        Out body = new Out(128);
        new DicomWriter(TransferSyntax.IMPLICIT_VR_LE, SequenceLength.DEFINED)
                .writeDataset(command, SpecificCharacterSet.DEFAULT, body, true);
        byte[] rest = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(rest.length + 12);
        writeTag(out, Tag.CommandGroupLength);
        writeInt(out, 4);
        writeInt(out, rest.length);
        out.writeBytes(rest);
        return out.toByteArray();
    }

    /** The value of Command Group Length (0000,0000) for {@code command}: its encoded length without that element. */
    public static int commandGroupLength(Attributes command) {
        return writeCommand(command).length - 12;
    }

    /**
     * Encodes a group (e.g. the File Meta Information group 0002) in {@code ts} preceded by its group length
     * element (gggg,0000) UL, as Part 10 requires for group 0002.
     */
    public static byte[] writeWithGroupLength(Attributes group, int groupNumber, TransferSyntax ts) {
        DicomWriter writer = new DicomWriter(ts, SequenceLength.DEFINED);
        Out body = new Out(256);
        writer.writeDataset(group, SpecificCharacterSet.DEFAULT, body, true);
        byte[] rest = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(rest.length + 12);
        writeTag(out, Tag.of(groupNumber, 0));
        if (ts.explicitVR()) {
            out.write('U');
            out.write('L');
            writeShort(out, 4);
        } else {
            writeInt(out, 4);
        }
        writeInt(out, rest.length);
        out.writeBytes(rest);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The output buffer; a defined sequence or item length is written once its content is (no copies). */
    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void patchInt(int pos, int v) {
            buf[pos] = (byte) v;
            buf[pos + 1] = (byte) (v >>> 8);
            buf[pos + 2] = (byte) (v >>> 16);
            buf[pos + 3] = (byte) (v >>> 24);
        }
    }

    private void writeDataset(Attributes attrs, SpecificCharacterSet inherited, Out out,
                              boolean skipGroupLengths) {
        SpecificCharacterSet cs;
        try {
            cs = attrs.specificCharacterSet(inherited);
        } catch (UnsupportedCharacterSetException e) {
            throw new IllegalStateException("Cannot encode with " + e.specificCharacterSet(), e);
        }
        for (Attributes.Element e : attrs.elements()) {
            if (skipGroupLengths && Tag.isGroupLength(e.tag)) {
                continue;
            }
            writeElement(e, cs, out);
        }
    }

    @SuppressWarnings("unchecked")
    private void writeElement(Attributes.Element e, SpecificCharacterSet cs, Out out) {
        if (e.vr == VR.SQ) {
            writeSequence(e.tag, (List<Attributes>) e.value, cs, out);
            return;
        }
        byte[] value = encodeValue(e, cs);
        boolean pad = (value.length & 1) != 0; // values are padded to an even length
        int length = value.length + (pad ? 1 : 0);
        VR vr = e.vr;
        if (explicit && !vr.hasLongHeader() && length > 0xFFFF) {
            vr = VR.UN;
        }
        writeHeader(out, e.tag, vr, length);
        out.write(value, 0, value.length);
        if (pad) {
            out.write(e.vr.paddingByte());
        }
    }

    private void writeSequence(int tag, List<Attributes> items, SpecificCharacterSet cs, Out out) {
        if (sequenceLength == SequenceLength.UNDEFINED) {
            writeHeader(out, tag, VR.SQ, -1);
            for (Attributes item : items) {
                writeTag(out, Tag.Item);
                writeInt(out, -1);
                writeDataset(item, cs, out, true);
                writeTag(out, Tag.ItemDelimitationItem);
                writeInt(out, 0);
            }
            writeTag(out, Tag.SequenceDelimitationItem);
            writeInt(out, 0);
            return;
        }
        writeHeader(out, tag, VR.SQ, 0);
        int sequenceLengthAt = out.size() - 4;
        int sequenceStart = out.size();
        for (Attributes item : items) {
            writeTag(out, Tag.Item);
            writeInt(out, 0);
            int itemStart = out.size();
            writeDataset(item, cs, out, true);
            out.patchInt(itemStart - 4, out.size() - itemStart);
        }
        out.patchInt(sequenceLengthAt, out.size() - sequenceStart);
    }

    /** The value's bytes, not yet padded. */
    private static byte[] encodeValue(Attributes.Element e, SpecificCharacterSet cs) {
        if (e.value instanceof String[] values) {
            if (values.length == 0) {
                return NO_BYTES;
            }
            String joined = values.length == 1 ? values[0] : String.join("\\", values);
            // Non-text VRs (CS, DA, UI...) are ASCII by definition; Latin-1 keeps a stray accent as one byte.
            return e.vr.usesSpecificCharacterSet() ? cs.encode(joined) : joined.getBytes(StandardCharsets.ISO_8859_1);
        }
        return (byte[]) e.value;
    }

    private static final byte[] NO_BYTES = new byte[0];

    private void writeHeader(ByteArrayOutputStream out, int tag, VR vr, int length) {
        writeTag(out, tag);
        if (!explicit) {
            writeInt(out, length);
            return;
        }
        out.write(vr.name().charAt(0));
        out.write(vr.name().charAt(1));
        if (vr.hasLongHeader()) {
            writeShort(out, 0);
            writeInt(out, length);
        } else {
            writeShort(out, length);
        }
    }

    private static void writeTag(ByteArrayOutputStream out, int tag) {
        writeShort(out, tag >>> 16);
        writeShort(out, tag);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
        out.write((v >>> 16) & 0xFF);
        out.write((v >>> 24) & 0xFF);
    }
}
