package org.ofsep.mwl.hl7;

/**
 * The inbound message cannot be processed as sent. Carries what the ACK must say: MSA-1 (AE or AR), the HL7 error
 * code (table 0357) for ERR-3 / ERR-1.4, the location (e.g. "PID-3") for ERR-2 / ERR-1, and the text for ERR-8.
 * Messages never contain patient data (names, IDs, birth dates), only field locations and codes.
 */
public class Hl7MessageException extends RuntimeException {

    /** HL7 table 0357 message error condition codes used by the gateway. */
    public static final int SEGMENT_SEQUENCE_ERROR = 100;
    public static final int REQUIRED_FIELD_MISSING = 101;
    public static final int DATA_TYPE_ERROR = 102;
    public static final int TABLE_VALUE_NOT_FOUND = 103;
    public static final int UNSUPPORTED_MESSAGE_TYPE = 200;
    public static final int UNSUPPORTED_EVENT_CODE = 201;
    public static final int UNSUPPORTED_PROCESSING_ID = 202;
    public static final int UNSUPPORTED_VERSION_ID = 203;
    public static final int UNKNOWN_KEY_IDENTIFIER = 204;
    public static final int DUPLICATE_KEY_IDENTIFIER = 205;
    public static final int APPLICATION_INTERNAL_ERROR = 207;

    private final String ackCode;
    private final int errorCode;
    private final String location;

    public Hl7MessageException(String ackCode, int errorCode, String location, String message) {
        this(ackCode, errorCode, location, message, null);
    }

    public Hl7MessageException(String ackCode, int errorCode, String location, String message, Throwable cause) {
        super(message, cause);
        this.ackCode = ackCode;
        this.errorCode = errorCode;
        this.location = location;
    }

    /** A required field is empty: AE, 101, naming the field. */
    public static Hl7MessageException missingField(String location, String what) {
        return new Hl7MessageException("AE", REQUIRED_FIELD_MISSING, location,
                "required field " + location + " (" + what + ") is missing");
    }

    /** A field holds a value of the wrong form: AE, 102. */
    public static Hl7MessageException badValue(String location, String what) {
        return new Hl7MessageException("AE", DATA_TYPE_ERROR, location, location + ": " + what);
    }

    /** The message cannot be read as HL7 at all: AR, 100. */
    public static Hl7MessageException unparsable(String what, Throwable cause) {
        return new Hl7MessageException("AR", SEGMENT_SEQUENCE_ERROR, null, "message cannot be parsed: " + what,
                cause);
    }

    public String ackCode() {
        return ackCode;
    }

    public int errorCode() {
        return errorCode;
    }

    /** "PID-3", "OBR-4", "MSH-18", or null. */
    public String location() {
        return location;
    }
}
