package org.ofsep.mwl.dicom.acse;

import java.util.List;

/** Who we are on the wire, and the fixed names the upper layer negotiates. */
public final class Implementation {
    /**
     * Implementation Class UID (PS3.7 D.3.3.2). A UUID-derived UID under the 2.25 root (PS3.5 B.2), fixed for
     * this implementation so peers can recognise it.
     */
    public static final String CLASS_UID = "2.25.228434830482705382582627639577630358561";
    /** Implementation Version Name, at most 16 characters. */
    public static final String VERSION_NAME = "MWLGW_0_1";
    /** DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** The transfer syntaxes we accept and propose, our preference first. */
    public static final List<String> TRANSFER_SYNTAXES = List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN);

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String MODALITY_WORKLIST_FIND = "1.2.840.10008.5.1.4.31";
    public static final String MODALITY_PERFORMED_PROCEDURE_STEP = "1.2.840.10008.3.1.2.3.3";

    private Implementation() {
    }
}
