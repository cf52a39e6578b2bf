package org.ofsep.mwl.dicom.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DICOM Part 10 files (PS3.10 section 7): a 128-byte preamble, "DICM", the File Meta Information group 0002 in
 * Explicit VR Little Endian with its group length, then the dataset in the transfer syntax the meta names.
 *
 * @param fileMeta group 0002 (without its group length element when built, with it when read)
 * @param dataset  the dataset
 */
public record DicomFile(Attributes fileMeta, Attributes dataset) {

    /** Largest file {@link #read(Path)} accepts; worklist and MPPS files are a few kilobytes. */
    public static final int MAX_FILE_SIZE = 64 * 1024 * 1024;

    /** File Meta Information for a dataset of {@code sopClassUid} / {@code sopInstanceUid} written in {@code ts}. */
    public static Attributes createFileMeta(String sopClassUid, String sopInstanceUid, TransferSyntax ts) {
        Attributes meta = new Attributes();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, UID.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, UID.IMPLEMENTATION_VERSION_NAME);
        return meta;
    }

    /** The transfer syntax the File Meta Information names. */
    public TransferSyntax transferSyntax() throws DicomCodecException {
        return TransferSyntax.requireSupported(fileMeta.getString(Tag.TransferSyntaxUID));
    }

    /** Encodes this file. */
    public byte[] toBytes() throws DicomCodecException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            writeTo(out);
        } catch (DicomCodecException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen with a ByteArrayOutputStream
        }
        return out.toByteArray();
    }

    public void writeTo(OutputStream out) throws IOException {
        TransferSyntax ts = transferSyntax();
        Attributes meta = new Attributes(fileMeta);
        meta.remove(Tag.FileMetaInformationGroupLength);
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        out.write(DicomWriter.writeWithGroupLength(meta, 0x0002, TransferSyntax.EXPLICIT_VR_LE));
        out.write(DicomWriter.write(dataset, ts));
    }

    /** Writes the file atomically enough for a spool directory: to a temporary name, then renamed. */
    public void write(Path path) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writeTo(out);
        }
        try {
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static DicomFile read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new DicomCodecException(path + " is larger than " + MAX_FILE_SIZE + " bytes");
        }
        return read(Files.readAllBytes(path));
    }

    /** Decodes a Part 10 file (the 128-byte preamble and "DICM" prefix are required). */
    public static DicomFile read(byte[] bytes) throws DicomCodecException {
        if (bytes.length < 132 || bytes[128] != 'D' || bytes[129] != 'I' || bytes[130] != 'C' || bytes[131] != 'M') {
            throw new DicomCodecException("Not a DICOM Part 10 file (no DICM prefix)");
        }
        int pos = 132;
        // The group length (0002,0000) UL, explicit VR: 12 bytes; it says where the meta group ends.
        if (bytes.length < pos + 12 || bytes[pos] != 2 || bytes[pos + 1] != 0 || bytes[pos + 2] != 0
                || bytes[pos + 3] != 0) {
            throw new DicomCodecException("File Meta Information does not start with its group length (0002,0000)");
        }
        long groupLength = (bytes[pos + 8] & 0xFFL) | (bytes[pos + 9] & 0xFFL) << 8 | (bytes[pos + 10] & 0xFFL) << 16
                | (bytes[pos + 11] & 0xFFL) << 24;
        int metaEnd = pos + 12;
        if (groupLength > bytes.length - metaEnd) {
            throw new DicomCodecException("File Meta group length " + groupLength + " exceeds the file");
        }
        metaEnd += (int) groupLength;
        Attributes meta = DicomReader.read(bytes, pos, metaEnd - pos, TransferSyntax.EXPLICIT_VR_LE);
        DicomFile head = new DicomFile(meta, null);
        TransferSyntax ts = head.transferSyntax();
        Attributes dataset = DicomReader.read(bytes, metaEnd, bytes.length - metaEnd, ts);
        return new DicomFile(meta, dataset);
    }
}
