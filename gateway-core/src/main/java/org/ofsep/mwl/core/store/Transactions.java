package org.ofsep.mwl.core.store;

import java.util.function.Supplier;

/**
 * Several store and service calls committed as one transaction. Every store and service call made by
 * {@code work} on the calling thread joins that transaction instead of committing on its own: when this returns,
 * all of it is durable; when it throws, none of it is.
 *
 * <p>Why: an HL7 order and its message-log row (with the ACK about to be sent) are written together, one commit
 * per message instead of one per write. The commit is what the embedded store spends its time on.
 */
public interface Transactions {

    /**
     * Runs {@code work} in one transaction. The work may run more than once (retried after a conflict with a
     * concurrent writer), so it must not have effects outside the store that cannot be repeated.
     */
    <T> T inOneTransaction(Supplier<T> work);

    /** For stores without shared transactions (test doubles): each call commits on its own, as it would anyway. */
    Transactions SEPARATE = new Transactions() {
        @Override
        public <T> T inOneTransaction(Supplier<T> work) {
            return work.get();
        }
    };
}
