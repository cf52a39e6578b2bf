package org.ofsep.mwl.dicom.pdu;

/**
 * A-ASSOCIATE-RJ PDU (PS3.8 9.3.4).
 *
 * @param result 1 = rejected-permanent, 2 = rejected-transient
 * @param source 1 = service-user, 2 = service-provider (ACSE), 3 = service-provider (presentation)
 * @param reason meaning depends on the source (see the constants)
 */
public record AssociateRj(int result, int source, int reason) implements Pdu {
    public static final int RESULT_PERMANENT = 1;
    public static final int RESULT_TRANSIENT = 2;

    public static final int SOURCE_SERVICE_USER = 1;
    public static final int SOURCE_PROVIDER_ACSE = 2;
    public static final int SOURCE_PROVIDER_PRESENTATION = 3;

    /** Source 1 reasons. */
    public static final int REASON_NO_REASON = 1;
    public static final int REASON_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    public static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;
    public static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;
    /** Source 2 reasons. */
    public static final int REASON_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Source 3 reasons. */
    public static final int REASON_TEMPORARY_CONGESTION = 1;
    public static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    @Override
    public int type() {
        return TYPE_ASSOCIATE_RJ;
    }

    /** Human-readable form for logs, e.g. "permanent, service-user: calling AE title not recognized". */
    public String describe() {
        String r = switch (source) {
            case SOURCE_SERVICE_USER -> switch (reason) {
                case 1 -> "no reason given";
                case 2 -> "application context name not supported";
                case 3 -> "calling AE title not recognized";
                case 7 -> "called AE title not recognized";
                default -> "reason " + reason;
            };
            case SOURCE_PROVIDER_ACSE -> reason == 2 ? "protocol version not supported" : "reason " + reason;
            case SOURCE_PROVIDER_PRESENTATION -> switch (reason) {
                case 1 -> "temporary congestion";
                case 2 -> "local limit exceeded";
                default -> "reason " + reason;
            };
            default -> "source " + source + " reason " + reason;
        };
        String s = switch (source) {
            case SOURCE_SERVICE_USER -> "service-user";
            case SOURCE_PROVIDER_ACSE -> "service-provider (ACSE)";
            case SOURCE_PROVIDER_PRESENTATION -> "service-provider (presentation)";
            default -> "source " + source;
        };
        return (result == RESULT_PERMANENT ? "permanent" : result == RESULT_TRANSIENT ? "transient" : "result " + result)
                + ", " + s + ": " + r;
    }
}
