package org.ofsep.mwl.hl7;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the HL7 interface since start, for the health endpoint and metrics (the application binds them to
 * its registry). Outbound queue depth comes from the OutboundQueue itself.
 */
public final class Hl7Metrics {
    private final LongAdder received = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder applicationErrors = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder statusSent = new LongAdder();
    private final LongAdder statusRetried = new LongAdder();
    private final LongAdder statusFailed = new LongAdder();

    void received() {
        received.increment();
    }

    void answered(String ackCode) {
        switch (ackCode) {
            case "AA" -> accepted.increment();
            case "AE" -> applicationErrors.increment();
            default -> rejected.increment();
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void statusSent() {
        statusSent.increment();
    }

    void statusRetried() {
        statusRetried.increment();
    }

    void statusFailed() {
        statusFailed.increment();
    }

    /** Inbound messages received (each frame, duplicates included). */
    public long receivedCount() {
        return received.sum();
    }

    /** Answered AA (duplicates included). */
    public long acceptedCount() {
        return accepted.sum();
    }

    /** Answered AE. */
    public long applicationErrorCount() {
        return applicationErrors.sum();
    }

    /** Answered AR. */
    public long rejectedCount() {
        return rejected.sum();
    }

    /** Resends answered with their earlier ACK. */
    public long duplicateCount() {
        return duplicates.sum();
    }

    /** Status messages the RIS acknowledged with AA. */
    public long statusSentCount() {
        return statusSent.sum();
    }

    /** Status deliveries postponed (RIS unreachable, no ACK in time). */
    public long statusRetryCount() {
        return statusRetried.sum();
    }

    /** Status messages the RIS refused (AE/AR): failed for good. */
    public long statusFailedCount() {
        return statusFailed.sum();
    }
}
