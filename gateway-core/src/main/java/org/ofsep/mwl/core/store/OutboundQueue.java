package org.ofsep.mwl.core.store;

import java.time.Instant;
import java.util.List;

/** Durable queue of status messages to the RIS: retried with backoff, in order per order, kept across restarts. */
public interface OutboundQueue {

    /**
     * The next events due at {@code now}, at most {@code max}, only the oldest pending event of each order (so
     * messages for one order go out in order).
     */
    List<StatusEvent> due(Instant now, int max);

    void markSent(long id);

    /** A transient failure: retry at {@code nextAttempt}. */
    void markRetry(long id, String error, Instant nextAttempt);

    /** A final failure (the RIS answered AE/AR, or too many attempts): kept, not retried. */
    void markFailed(long id, String error);

    /** Events waiting to be sent. */
    long depth();
}
