package org.ofsep.mwl.dicom.data;

/**
 * A Specific Character Set (0008,0005) the gateway cannot decode or encode (e.g. ISO 2022 IR 87 with code
 * extensions). Distinct from other codec errors so that the C-FIND SCP can answer a clear failure status with an
 * error comment instead of matching on garbage.
 */
public class UnsupportedCharacterSetException extends DicomCodecException {

    private static final long serialVersionUID = 1L;

    private final String specificCharacterSet;

    public UnsupportedCharacterSetException(String specificCharacterSet) {
        super("Unsupported Specific Character Set (0008,0005): " + specificCharacterSet);
        this.specificCharacterSet = specificCharacterSet;
    }

    /** The value as received, components joined with a backslash. */
    public String specificCharacterSet() {
        return specificCharacterSet;
    }
}
