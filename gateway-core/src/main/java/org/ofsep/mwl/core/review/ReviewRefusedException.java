package org.ofsep.mwl.core.review;

/** A review action that cannot be applied; nothing was changed. {@code status} is the HTTP status to answer. */
public final class ReviewRefusedException extends RuntimeException {
    private final int status;

    public ReviewRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
