package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.review.Role;

/**
 * The idle timeout counts from the person's last request: an open board's periodic refresh (X-Background: 1) no
 * longer keeps the session alive until its 12-hour maximum (found by an independent review: with a 1-minute idle
 * timeout, a board left open kept a radiologist's session for hours).
 */
class SessionsTest {

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-06T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void backgroundRefreshesDoNotKeepASessionAliveAndActionsDo() {
        Moving clock = new Moving();
        Sessions sessions = new Sessions(Duration.ofMinutes(1), Duration.ofHours(12), clock);
        String idle = sessions.open("dr.martin", Role.RADIOLOGIST, "hash", "127.0.0.1", new StringBuilder());
        String active = sessions.open("dr.bernard", Role.RADIOLOGIST, "hash", "127.0.0.1", new StringBuilder());
        for (int i = 0; i < 4; i++) {
            clock.now = clock.now.plusSeconds(35);
            boolean stillOpen = sessions.find(idle, false).isPresent();
            assertThat(stillOpen).as("poll %d", i).isEqualTo(i < 1);
            assertThat(sessions.find(active, true)).as("action %d", i).isPresent();
        }
        assertThat(sessions.find(idle)).isEmpty();
        // the person's own request keeps it alive, as before
        clock.now = clock.now.plusSeconds(20);
        assertThat(sessions.find(active)).isPresent();
        clock.now = clock.now.plusSeconds(50);
        assertThat(sessions.find(active, false)).isPresent();
        clock.now = clock.now.plusSeconds(50);
        assertThat(sessions.find(active, false)).isEmpty();
    }
}
