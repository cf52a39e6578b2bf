package org.ofsep.mwl.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ofsep.mwl.core.store.Lease;
import org.ofsep.mwl.core.store.OutboundQueue;
import org.ofsep.mwl.core.store.StatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound queue as seen by the sender of one gateway instance among several: {@link #due} hands out
 * events only while this instance holds the "outbound" lease, and each poll renews it. Every instance may run
 * its sender; exactly one sends, so the RIS gets each order's messages from one place and in order. If the
 * sending instance dies, another takes over once the lease expires. Keep {@code ttl} well above the sender's
 * poll interval plus the time to send one batch.
 */
public final class LeasedOutboundQueue implements OutboundQueue {

    public static final String LEASE_NAME = "outbound";
    private static final Logger log = LoggerFactory.getLogger(LeasedOutboundQueue.class);

    private final OutboundQueue queue;
    private final Lease lease;
    private final String owner;
    private final Duration ttl;
    private volatile boolean holding;

    public LeasedOutboundQueue(OutboundQueue queue, Lease lease, String owner, Duration ttl) {
        this.queue = queue;
        this.lease = lease;
        this.owner = owner;
        this.ttl = ttl;
    }

    @Override
    public List<StatusEvent> due(Instant now, int max) {
        boolean held = lease.tryAcquire(LEASE_NAME, owner, ttl);
        if (held != holding) {
            holding = held;
            log.info(held ? "This instance now sends the RIS status messages (outbound lease taken)"
                    : "Another instance sends the RIS status messages (outbound lease lost)");
        }
        return held ? queue.due(now, max) : List.of();
    }

    /** true when the last poll held the lease (for health). */
    public boolean isSender() {
        return holding;
    }

    @Override
    public void markSent(long id) {
        queue.markSent(id);
    }

    @Override
    public void markRetry(long id, String error, Instant nextAttempt) {
        queue.markRetry(id, error, nextAttempt);
    }

    @Override
    public void markFailed(long id, String error) {
        queue.markFailed(id, error);
    }

    @Override
    public long depth() {
        return queue.depth();
    }

    /** Gives the lease up (clean shutdown) so another instance takes over at once. */
    public void release() {
        lease.release(LEASE_NAME, owner);
        holding = false;
    }
}
