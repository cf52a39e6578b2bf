package org.ofsep.mwl.app.priors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** When the PACS lookups yield to intake: a burst of orders holds them back, a trickle never does. */
class IntakeGateTest {

    @Test
    void aBurstHoldsTheLookupsBackATrickleDoesNot() throws Exception {
        PriorLookups.IntakeGate gate = new PriorLookups.IntakeGate(0, 4, 3, Duration.ofMillis(300));
        assertThat(gate.busy()).isFalse();
        gate.order();
        gate.order();
        assertThat(gate.busy()).as("two orders: a trickle").isFalse();
        assertThat(gate.limit()).isEqualTo(4);
        gate.order();
        assertThat(gate.busy()).as("three within the window: a burst").isTrue();
        assertThat(gate.limit()).isZero();

        // no lookup starts during the burst; it starts once the burst is over
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                if (gate.enter(() -> false)) {
                    started.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertThat(started.await(100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(started.await(2, TimeUnit.SECONDS)).as("started after the window").isTrue();
        assertThat(gate.busy()).isFalse();
        assertThat(gate.startedFull()).isEqualTo(1);
        assertThat(gate.startedYielding()).isZero();
        gate.exit();
        t.join();

        // orders spaced wider than the window never make a burst
        Thread.sleep(350);
        for (int i = 0; i < 4; i++) {
            gate.order();
            assertThat(gate.busy()).isFalse();
            Thread.sleep(160);
        }
    }

    @Test
    void duringABurstAtMostBusyConcurrentRunAndAStopReleasesTheWaiting() throws Exception {
        PriorLookups.IntakeGate gate = new PriorLookups.IntakeGate(1, 4, 1, Duration.ofSeconds(30));
        gate.order(); // busy for 30 s
        assertThat(gate.enter(() -> false)).isTrue();
        assertThat(gate.startedYielding()).isEqualTo(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean result = new AtomicBoolean(true);
        Thread second = new Thread(() -> {
            try {
                result.set(gate.enter(stop::get));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        second.join(200);
        assertThat(second.isAlive()).as("the second waits while one runs during the burst").isTrue();
        stop.set(true); // the gateway stops: the waiting lookup gives up (its row stays in the database)
        second.join(2_000);
        assertThat(second.isAlive()).isFalse();
        assertThat(result.get()).isFalse();
        gate.exit();
    }
}
