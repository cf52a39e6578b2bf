package org.ofsep.mwl.core.order;

/**
 * The order cannot be applied; nothing of it was stored. The HL7 layer answers AE (or AR when {@link #reject})
 * with an ERR segment carrying {@link #getMessage()}, the offending field location when known, and the HL7 error
 * code (table 0357) that fits the {@link #kind()}.
 */
public class OrderRejectedException extends RuntimeException {

    /** Why the order is refused; the HL7 layer turns it into its error code (HL7 table 0357). */
    public enum Kind {
        /** A required value is missing (HL7 101). */
        MISSING,
        /** A value is malformed or does not fit where it goes, e.g. too long for its DICOM VR (HL7 102). */
        BAD_VALUE,
        /** A coded value the mapping does not know, e.g. an (ORC-1, ORC-5) pair (HL7 103). */
        UNMAPPED,
        /** The order (or step) the message refers to is not known, or no longer open (HL7 204). */
        UNKNOWN_KEY,
        /** An identifier already belongs to another order or patient (HL7 205). */
        DUPLICATE_KEY,
        /** The gateway's own configuration cannot serve the order (no station, station below 1.5 T) (HL7 207). */
        NOT_SERVED
    }

    private final String field;
    private final boolean reject;
    private final Kind kind;

    public OrderRejectedException(String message, String field, Kind kind) {
        this(message, field, false, kind);
    }

    public OrderRejectedException(String message, String field, boolean reject, Kind kind) {
        super(message);
        this.field = field;
        this.reject = reject;
        this.kind = kind == null ? classify(message, field) : kind;
    }

    /** The kind is read from the field and the message (see {@link #classify}). */
    public OrderRejectedException(String message, String field) {
        this(message, field, false, null);
    }

    public OrderRejectedException(String message, String field, boolean reject) {
        this(message, field, reject, null);
    }

    /** HL7 location such as "OBR-4" or "ORC-1", or null. */
    public String field() {
        return field;
    }

    /** true for AR (message refused as a whole), false for AE (application error). */
    public boolean reject() {
        return reject;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The kind of a refusal thrown without one, from its field and the wording the order service uses ("is
     * missing", "longer than", "Unknown order", "already belongs to another patient"...).
     */
    static Kind classify(String message, String field) {
        String m = message == null ? "" : message;
        if (field != null && (field.startsWith("ORC-1") || field.startsWith("ORC-5")) && m.contains("mapped")) {
            return Kind.UNMAPPED;
        }
        if (m.contains("is missing") || m.contains("has no requested procedure")) {
            return Kind.MISSING;
        }
        if (m.contains("longer than") || m.contains("not a valid") || m.contains("malformed")) {
            return Kind.BAD_VALUE;
        }
        if (m.startsWith("Unknown order") || m.contains(" is canceled") || m.contains("Unknown ")) {
            return Kind.UNKNOWN_KEY;
        }
        if (m.contains("already belongs to") || m.contains("already used")) {
            return Kind.DUPLICATE_KEY;
        }
        return Kind.NOT_SERVED;
    }
}
