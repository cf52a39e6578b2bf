package org.ofsep.mwl.dicom.pdu;

/**
 * A-ABORT PDU (PS3.8 9.3.8).
 *
 * @param source 0 = service-user initiated, 2 = service-provider initiated
 * @param reason meaningful only for source 2 (see the constants)
 */
public record Abort(int source, int reason) implements Pdu {
    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int REASON_UNRECOGNIZED_PDU = 1;
    public static final int REASON_UNEXPECTED_PDU = 2;
    public static final int REASON_UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int REASON_UNEXPECTED_PDU_PARAMETER = 5;
    public static final int REASON_INVALID_PDU_PARAMETER_VALUE = 6;

    @Override
    public int type() {
        return TYPE_ABORT;
    }

    public static Abort byUser() {
        return new Abort(SOURCE_SERVICE_USER, REASON_NOT_SPECIFIED);
    }

    public static Abort byProvider(int reason) {
        return new Abort(SOURCE_SERVICE_PROVIDER, reason);
    }
}
