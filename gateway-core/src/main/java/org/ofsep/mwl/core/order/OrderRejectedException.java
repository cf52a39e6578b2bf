package org.ofsep.mwl.core.order;

/**
 * The order cannot be applied; nothing of it was stored. The HL7 layer answers AE (or AR when {@link #reject})
 * with an ERR segment carrying {@link #getMessage()} and, when known, the offending field location.
 */
public class OrderRejectedException extends RuntimeException {
    private final String field;
    private final boolean reject;

    public OrderRejectedException(String message, String field) {
        this(message, field, false);
    }

    public OrderRejectedException(String message, String field, boolean reject) {
        super(message);
        this.field = field;
        this.reject = reject;
    }

    /** HL7 location such as "OBR-4" or "ORC-1", or null. */
    public String field() {
        return field;
    }

    /** true for AR (message refused as a whole), false for AE (application error). */
    public boolean reject() {
        return reject;
    }
}
