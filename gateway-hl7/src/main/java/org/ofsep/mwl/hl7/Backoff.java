package org.ofsep.mwl.hl7;

import java.time.Duration;

/** Exponential retry delay, capped: initial, 2x, 4x... never more than max. */
public record Backoff(Duration initial, Duration max) {

    /** The delay before the next attempt, after {@code attemptsSoFar} failed attempts (0 = the first failed). */
    public Duration delayAfter(int attemptsSoFar) {
        int shift = Math.max(0, Math.min(attemptsSoFar, 30));
        long millis = initial.toMillis();
        long delay = shift >= 62 || millis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : millis << shift;
        return Duration.ofMillis(Math.min(delay, max.toMillis()));
    }
}
