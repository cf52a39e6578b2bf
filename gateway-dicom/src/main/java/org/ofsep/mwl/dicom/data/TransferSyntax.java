package org.ofsep.mwl.dicom.data;

import java.util.Optional;

/**
 * Transfer syntaxes the gateway knows by UID. Only the two uncompressed little-endian ones are supported for
 * datasets; the others are recognised so that negotiation can refuse them per presentation context by name.
 */
public enum TransferSyntax {
    IMPLICIT_VR_LE(UID.IMPLICIT_VR_LITTLE_ENDIAN, false, true),
    EXPLICIT_VR_LE(UID.EXPLICIT_VR_LITTLE_ENDIAN, true, true),
    DEFLATED_EXPLICIT_VR_LE(UID.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, true, false),
    EXPLICIT_VR_BE(UID.EXPLICIT_VR_BIG_ENDIAN, true, false),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, false),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false),
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, false),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false),
    JPEG_2000("1.2.840.10008.1.2.4.91", true, false),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false);

    private final String uid;
    private final boolean explicitVR;
    private final boolean supported;

    TransferSyntax(String uid, boolean explicitVR, boolean supported) {
        this.uid = uid;
        this.explicitVR = explicitVR;
        this.supported = supported;
    }

    public String uid() {
        return uid;
    }

    public boolean explicitVR() {
        return explicitVR;
    }

    /** True for the transfer syntaxes the codec reads and writes (Implicit and Explicit VR Little Endian). */
    public boolean supported() {
        return supported;
    }

    /** The transfer syntax of a UID (trailing NUL/space padding ignored), empty when unknown. */
    public static Optional<TransferSyntax> fromUid(String uid) {
        if (uid == null) {
            return Optional.empty();
        }
        String trimmed = uid.strip().replace("\0", "");
        for (TransferSyntax ts : values()) {
            if (ts.uid.equals(trimmed)) {
                return Optional.of(ts);
            }
        }
        return Optional.empty();
    }

    /** The supported transfer syntax of a UID, or a {@link DicomCodecException} naming it. */
    public static TransferSyntax requireSupported(String uid) throws DicomCodecException {
        TransferSyntax ts = fromUid(uid).orElse(null);
        if (ts == null || !ts.supported) {
            throw new DicomCodecException("Unsupported transfer syntax " + uid);
        }
        return ts;
    }
}
