package org.ofsep.mwl.dicom.data;

/** The UIDs the gateway uses (PS3.6 Annex A). */
public final class UID {

    private UID() {
    }

    /** DICOM Application Context Name. */
    public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /** Verification SOP Class (C-ECHO). */
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    /** Modality Worklist Information Model - FIND. */
    public static final String MODALITY_WORKLIST_FIND = "1.2.840.10008.5.1.4.31";
    /** Study Root Query/Retrieve Information Model - FIND (PS3.4 C.6.2). */
    public static final String STUDY_ROOT_QR_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    /** Modality Performed Procedure Step SOP Class. */
    public static final String MODALITY_PERFORMED_PROCEDURE_STEP = "1.2.840.10008.3.1.2.3.3";
    /** Modality Performed Procedure Step Retrieve SOP Class (not served; recognised for negotiation). */
    public static final String MODALITY_PERFORMED_PROCEDURE_STEP_RETRIEVE = "1.2.840.10008.3.1.2.3.4";
    /** Modality Performed Procedure Step Notification SOP Class (not served; recognised for negotiation). */
    public static final String MODALITY_PERFORMED_PROCEDURE_STEP_NOTIFICATION = "1.2.840.10008.3.1.2.3.5";

    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    /** Implementation Class UID of the gateway (a UUID-derived UID under 2.25, fixed for this implementation). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.219063493148117436826329216316350738712";
    /** Implementation Version Name (max 16 characters). */
    public static final String IMPLEMENTATION_VERSION_NAME = "OFSEP_MWLGW_01";
}
