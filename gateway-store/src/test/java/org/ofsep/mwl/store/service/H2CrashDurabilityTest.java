package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.MutableClock;

/**
 * Issue 6: a kill -9 of the gateway during a burst of orders loses no acknowledged order, and the RIS
 * resending everything it has no ACK for (here: everything) creates no duplicate. The gateway is a child JVM
 * killed with SIGKILL while it writes to its embedded H2 file.
 */
class H2CrashDurabilityTest {

    static final int BURST = 2000;
    static final int KILL_AFTER_ACKS = 60;

    @TempDir
    Path data;

    @Test
    void acknowledgedOrdersSurviveKillNineAndResendMakesNoDuplicate() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                OrderBurstProcess.class.getName(), data.toString(), String.valueOf(BURST))
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                    if (acked.size() == KILL_AFTER_ACKS) {
                        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean close
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).hasSize(KILL_AFTER_ACKS);

        try (Database db = Database.open(DatabaseSettings.h2(data))) {
            JdbcWorklistStore store = new JdbcWorklistStore(db);
            List<WorklistItem> before = new ArrayList<>();
            store.query(WorklistQuery.all(), before::add);
            Set<String> stored = new HashSet<>();
            before.forEach(i -> stored.add(i.placerOrderNumber()));
            assertThat(stored).containsAll(acked);
            assertThat(before).hasSameSizeAs(stored); // one item per order, never two

            // the RIS resends every order (acknowledged or not): still one item per order
            JdbcOrderService orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                    new UidGenerator(UidGenerator.DEFAULT_ROOT), new MutableClock(java.time.Instant.now()));
            int resend = stored.size() + 10;
            for (int i = 0; i < resend; i++) {
                orders.apply(OrderBurstProcess.order(i).build());
            }
            assertThat(store.countByStatus().get(SpsStatus.SCHEDULED)).isEqualTo(resend);
            for (int i = 0; i < resend; i++) {
                assertThat(store.findByPlacerOrder("BURST-" + i)).hasSize(1);
            }
            // items acknowledged before the crash kept their identifiers through the resend
            for (WorklistItem item : before) {
                assertThat(store.findBySpsId(item.spsId())).map(WorklistItem::id).contains(item.id());
            }
        }
    }
}
