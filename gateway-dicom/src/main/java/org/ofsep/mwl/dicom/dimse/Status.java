package org.ofsep.mwl.dicom.dimse;

/** DIMSE status codes used by this gateway (PS3.7 Annex C, PS3.4 C.4.1.1.4, F.7, K.4.1.1.4). */
public final class Status {
    public static final int SUCCESS = 0x0000;
    public static final int PENDING = 0xFF00;
    /** Pending, some optional keys were not supported for existence or matching. */
    public static final int PENDING_WARNING = 0xFF01;
    public static final int CANCEL = 0xFE00;

    /** C-FIND: refused, out of resources. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** C-FIND: identifier does not match SOP class. */
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** C-FIND: unable to process (0xC000-0xCFFF). */
    public static final int UNABLE_TO_PROCESS = 0xC000;

    /** Warning: attribute value out of range / attribute list error (N-SET, N-CREATE). */
    public static final int ATTRIBUTE_LIST_ERROR = 0x0107;
    public static final int ATTRIBUTE_VALUE_OUT_OF_RANGE = 0x0116;

    public static final int NO_SUCH_ATTRIBUTE = 0x0105;
    public static final int INVALID_ATTRIBUTE_VALUE = 0x0106;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    public static final int NO_SUCH_SOP_INSTANCE = 0x0112;
    public static final int INVALID_OBJECT_INSTANCE = 0x0117;
    public static final int NO_SUCH_SOP_CLASS = 0x0118;
    public static final int CLASS_INSTANCE_CONFLICT = 0x0119;
    public static final int MISSING_ATTRIBUTE = 0x0120;
    public static final int MISSING_ATTRIBUTE_VALUE = 0x0121;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int DUPLICATE_INVOCATION = 0x0210;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int MISTYPED_ARGUMENT = 0x0212;
    public static final int RESOURCE_LIMITATION = 0x0213;

    private Status() {
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000 || status == ATTRIBUTE_LIST_ERROR
                || status == ATTRIBUTE_VALUE_OUT_OF_RANGE;
    }

    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isPending(status) && !isWarning(status) && status != CANCEL;
    }
}
