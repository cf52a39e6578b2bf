package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.JdbcWorklistStore;

/** Orders acknowledged before a stop are served after a restart on the embedded H2 file database. */
class H2RestartDurabilityTest extends DatabaseTest {

    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }

    @Test
    void itemsSurviveCloseAndReopen() {
        JdbcOrderService orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        List<WorklistItem> stored = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stored.addAll(orders.apply(Orders.order("DUR" + i).procedure("ACC" + i,
                    LocalDateTime.of(2026, 3, 3, 8, 0).plusMinutes(i)).build()));
        }
        db.close();
        db = null;

        // the data directory alone is enough: a new Database on the same settings finds everything
        try (Database reopened = Database.open(settings)) {
            List<WorklistItem> after = new ArrayList<>();
            new JdbcWorklistStore(reopened).query(WorklistQuery.all(), after::add);
            assertThat(after).containsExactlyElementsOf(stored);
            // new orders after the restart keep unique generated IDs
            JdbcOrderService again = new JdbcOrderService(reopened, FakeMapping::new, new FakeDecisionEngine(),
                    new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
            WorklistItem next = again.apply(Orders.order("DUR-NEXT").procedure("ACCN",
                    LocalDateTime.of(2026, 3, 4, 8, 0)).build()).get(0);
            assertThat(stored).extracting(WorklistItem::spsId).doesNotContain(next.spsId());
            assertThat(stored).extracting(WorklistItem::requestedProcedureId).doesNotContain(next.requestedProcedureId());
        }
    }

    @Test
    void onlineBackupRestoresIntoAFreshDataDirectory() throws Exception {
        JdbcOrderService orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        WorklistItem item = orders.apply(Orders.order("BK1").procedure("ACCBK", LocalDateTime.of(2026, 3, 3, 8, 0))
                .build()).get(0);
        java.nio.file.Path zip = tmp.resolve("backup.zip");
        db.backupTo(zip);
        // an order after the backup is not in it
        orders.apply(Orders.order("BK2").procedure("ACCBK2", LocalDateTime.of(2026, 3, 3, 9, 0)).build());

        java.nio.file.Path restored = tmp.resolve("restored");
        java.nio.file.Files.createDirectories(restored);
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                java.nio.file.Files.copy(in, restored.resolve(java.nio.file.Path.of(e.getName()).getFileName()));
            }
        }
        try (Database back = Database.open(DatabaseSettings.h2(restored))) {
            List<WorklistItem> after = new ArrayList<>();
            new JdbcWorklistStore(back).query(WorklistQuery.all(), after::add);
            assertThat(after).containsExactly(item);
        }
    }
}
