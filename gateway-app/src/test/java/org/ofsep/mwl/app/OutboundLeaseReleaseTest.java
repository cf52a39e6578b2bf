package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.LogCapture;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.LeasedOutboundQueue;

/**
 * A clean stop gives the RIS sender's lease up: the next start (or another instance) sends at once, where it waited
 * 20 to 30 s for the lease to lapse after every restart (found by an independent review).
 */
class OutboundLeaseReleaseTest {

    @Test
    void aCleanStopGivesTheSendersLeaseUp(@TempDir Path work) throws Exception {
        TestGateway gw = new TestGateway(work);
        gw.config.hl7.ris.enabled = true;
        gw.config.hl7.ris.host = "127.0.0.1";
        gw.config.hl7.ris.port = TestGateway.freePort(); // nobody listens: the sender still takes the lease
        gw.config.hl7.ris.pollIntervalMillis = 100;
        try (LogCapture log = LogCapture.of(LeasedOutboundQueue.class)) {
            gw.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (log.messages(Level.INFO).stream().noneMatch(m -> m.contains("outbound lease taken"))) {
                assertThat(System.nanoTime()).as("the sender took the lease").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            gw.close();
        }
        try (Database db = Database.open(DatabaseSettings.h2(work.resolve("data")))) {
            int leases = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM job_lease WHERE name = ?")) {
                    ps.setString(1, LeasedOutboundQueue.LEASE_NAME);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
            assertThat(leases).isZero();
        }
    }
}
