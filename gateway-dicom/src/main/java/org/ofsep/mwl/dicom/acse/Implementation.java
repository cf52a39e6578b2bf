package org.ofsep.mwl.dicom.acse;

import java.util.List;
import org.ofsep.mwl.dicom.data.UID;

/** Who we are on the wire, and the fixed names the upper layer negotiates. */
public final class Implementation {
    /** Implementation Class UID (PS3.7 D.3.3.2), shared with the Part 10 files the gateway writes. */
    public static final String CLASS_UID = UID.IMPLEMENTATION_CLASS_UID;
    /** Implementation Version Name, at most 16 characters. */
    public static final String VERSION_NAME = UID.IMPLEMENTATION_VERSION_NAME;
    /** DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String APPLICATION_CONTEXT = UID.APPLICATION_CONTEXT;

    public static final String IMPLICIT_VR_LITTLE_ENDIAN = UID.IMPLICIT_VR_LITTLE_ENDIAN;
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = UID.EXPLICIT_VR_LITTLE_ENDIAN;
    /** The transfer syntaxes we accept and propose, our preference first. */
    public static final List<String> TRANSFER_SYNTAXES = List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN);

    public static final String VERIFICATION = UID.VERIFICATION;
    public static final String MODALITY_WORKLIST_FIND = UID.MODALITY_WORKLIST_FIND;
    public static final String MODALITY_PERFORMED_PROCEDURE_STEP = UID.MODALITY_PERFORMED_PROCEDURE_STEP;

    private Implementation() {
    }
}
