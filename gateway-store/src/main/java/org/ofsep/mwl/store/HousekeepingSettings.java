package org.ofsep.mwl.store;

import java.time.Duration;
import org.ofsep.mwl.core.domain.SpsStatus;

/**
 * What housekeeping does and how often.
 *
 * @param staleAfter       a step still SCHEDULED this long after its scheduled start is closed (idle timeout)
 * @param staleStatus      the final status given to such steps (DISCONTINUED or CANCELED)
 * @param purgeAfter       finished steps (COMPLETED, DISCONTINUED, CANCELED) and finished MPPS instances are
 *                         deleted this long after their last change
 * @param messageRetention HL7 message log entries and delivered/failed outbound events older than this are
 *                         deleted
 * @param interval         time between runs
 */
public record HousekeepingSettings(Duration staleAfter, SpsStatus staleStatus, Duration purgeAfter,
                                   Duration messageRetention, Duration interval) {

    public HousekeepingSettings {
        if (staleStatus == SpsStatus.SCHEDULED || staleStatus == SpsStatus.STARTED) {
            throw new IllegalArgumentException("stale steps need a final status, not " + staleStatus);
        }
        requirePositive(staleAfter, "staleAfter");
        requirePositive(purgeAfter, "purgeAfter");
        requirePositive(messageRetention, "messageRetention");
        requirePositive(interval, "interval");
    }

    /** 2 days idle, then DISCONTINUED; finished items kept 30 days; messages 90 days; hourly. */
    public static HousekeepingSettings defaults() {
        return new HousekeepingSettings(Duration.ofDays(2), SpsStatus.DISCONTINUED, Duration.ofDays(30),
                Duration.ofDays(90), Duration.ofHours(1));
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
