package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.domain.WorklistItem;

/**
 * V18 on a store at V17, on H2 and on PostgreSQL: a step stored before it reads back without a Requested Procedure
 * Priority (the worklist returns the attribute empty, as before), and it can be given one afterwards.
 */
class PriorityMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void h2StepStoredAtV17HasNoPriority() throws Exception {
        migratesAStoreAtV17(DatabaseSettings.h2(tmp.resolve("v17")));
    }

    @Test
    void postgresStepStoredAtV17HasNoPriority() throws Exception {
        migratesAStoreAtV17(EmbeddedPg.newDatabase());
    }

    private void migratesAStoreAtV17(DatabaseSettings settings) throws Exception {
        try (HikariDataSource ds = OlderStore.at(settings, "17")) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                    + " worklist_item (placer_order_number, step_key, sps_id, requested_procedure_id,"
                    + " study_instance_uid, patient_id, patient_name, scheduled_start, modality, status, created_at,"
                    + " updated_at) VALUES ('PO-OLD', 'step', 'SPS-OLD', 'RP-OLD', '1.2.3.4', 'P1', 'OLD^ONE',"
                    + " TIMESTAMP '2026-12-05 08:00:00', 'MR', 'SCHEDULED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                ps.executeUpdate();
            }
        }
        Database db = Database.open(settings);
        try {
            JdbcWorklistStore store = new JdbcWorklistStore(db);
            List<WorklistItem> old = store.findByPlacerOrder("PO-OLD");
            assertThat(old).singleElement().satisfies(i -> {
                assertThat(i.spsId()).isEqualTo("SPS-OLD");
                assertThat(i.priority()).isNull();
            });
            // the same step given a priority after the upgrade (a change of its order)
            WorklistItem before = old.get(0);
            WorklistItem stat = new WorklistItem(before.id(), before.spsId(), before.requestedProcedureId(),
                    before.accessionNumber(), before.studyInstanceUid(), before.placerOrderNumber(),
                    before.fillerOrderNumber(), before.patient(), before.weightKg(), before.requestedProcedureCode(),
                    before.requestedProcedureDescription(), before.scheduledStart(), before.modality(),
                    before.stationAeTitle(), before.stationName(), before.spsDescription(), before.reason(),
                    before.referringPhysician(), before.status(), before.decision(), before.medicalAlerts(),
                    before.requestedContrastAgent(), before.procedureComments(), before.specificCharacterSet(),
                    RequestedPriority.STAT);
            int written = db.inTransaction(c -> ItemTable.updateChanged(c, before, stat, "step", DatabaseTest.T0));
            assertThat(written).isEqualTo(1);
            assertThat(store.findByPlacerOrder("PO-OLD")).singleElement()
                    .extracting(WorklistItem::priority).isEqualTo(RequestedPriority.STAT);
        } finally {
            db.close();
        }
    }
}
