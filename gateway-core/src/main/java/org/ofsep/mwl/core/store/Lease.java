package org.ofsep.mwl.core.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A named lease in the shared database, so that a job (housekeeping, the outbound RIS sender) runs on one
 * gateway instance at a time when several share one database. The holder renews it by calling
 * {@link #tryAcquire} again before {@code ttl} runs out; if it dies, another instance takes over after expiry.
 */
public interface Lease {

    /**
     * Takes or renews the lease.
     *
     * @return true when {@code owner} holds the lease for {@code ttl} from now (it was free, expired, or already
     *         held by {@code owner}); false when another owner holds an unexpired lease
     */
    boolean tryAcquire(String name, String owner, Duration ttl);

    /** Gives the lease up at once (clean shutdown) if {@code owner} holds it. */
    void release(String name, String owner);

    /** The current unexpired holder, if any. */
    Optional<String> holder(String name);
}
