package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesPerAttemptUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(b.delayAfter(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delayAfter(4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(b.delayAfter(7)).isEqualTo(Duration.ofSeconds(600));
        assertThat(b.delayAfter(1000)).isEqualTo(Duration.ofMinutes(10));
    }
}
