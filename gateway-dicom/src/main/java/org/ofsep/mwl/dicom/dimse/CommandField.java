package org.ofsep.mwl.dicom.dimse;

/** Command Field (0000,0100) values (PS3.7 E.1). A response is its request's value with bit 15 set. */
public final class CommandField {
    public static final int C_STORE_RQ = 0x0001;
    public static final int C_GET_RQ = 0x0010;
    public static final int C_FIND_RQ = 0x0020;
    public static final int C_FIND_RSP = 0x8020;
    public static final int C_MOVE_RQ = 0x0021;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    public static final int N_EVENT_REPORT_RQ = 0x0100;
    public static final int N_GET_RQ = 0x0110;
    public static final int N_SET_RQ = 0x0120;
    public static final int N_SET_RSP = 0x8120;
    public static final int N_ACTION_RQ = 0x0130;
    public static final int N_CREATE_RQ = 0x0140;
    public static final int N_CREATE_RSP = 0x8140;
    public static final int N_DELETE_RQ = 0x0150;
    public static final int C_CANCEL_RQ = 0x0FFF;

    private CommandField() {
    }

    public static boolean isResponse(int field) {
        return (field & 0x8000) != 0;
    }

    public static int responseOf(int request) {
        return request | 0x8000;
    }

    public static String name(int field) {
        return switch (field) {
            case C_STORE_RQ -> "C-STORE-RQ";
            case C_GET_RQ -> "C-GET-RQ";
            case C_FIND_RQ -> "C-FIND-RQ";
            case C_FIND_RSP -> "C-FIND-RSP";
            case C_MOVE_RQ -> "C-MOVE-RQ";
            case C_ECHO_RQ -> "C-ECHO-RQ";
            case C_ECHO_RSP -> "C-ECHO-RSP";
            case N_EVENT_REPORT_RQ -> "N-EVENT-REPORT-RQ";
            case N_GET_RQ -> "N-GET-RQ";
            case N_SET_RQ -> "N-SET-RQ";
            case N_SET_RSP -> "N-SET-RSP";
            case N_ACTION_RQ -> "N-ACTION-RQ";
            case N_CREATE_RQ -> "N-CREATE-RQ";
            case N_CREATE_RSP -> "N-CREATE-RSP";
            case N_DELETE_RQ -> "N-DELETE-RQ";
            case C_CANCEL_RQ -> "C-CANCEL-RQ";
            default -> String.format("0x%04X", field);
        };
    }
}
