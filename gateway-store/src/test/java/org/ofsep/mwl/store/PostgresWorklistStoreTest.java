package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresWorklistStoreTest extends WorklistStoreContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }

    @Override
    protected DatabaseSettings anotherDatabase() {
        return EmbeddedPg.newDatabase();
    }

    @Test
    void prefixWildcardOnPatientNameUsesAnIndex() {
        for (int i = 0; i < 300; i++) {
            add("IDX" + i, "I" + i, "PI" + i, "NAME" + i + "^X", "MR_IDX", "MR", MON_8.plusMinutes(i),
                    org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED);
        }
        List<String> plan = db.read(c -> {
            List<String> lines = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE worklist_item");
                s.execute("SET enable_seqscan = off"); // small table: ask whether an index CAN serve the LIKE
                try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM worklist_item "
                        + "WHERE patient_name LIKE 'NAME12%' ESCAPE '!'")) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                s.execute("RESET enable_seqscan");
            }
            return lines;
        });
        assertThat(String.join("\n", plan)).contains("ix_item_patient_name_pattern").contains("Index Cond")
                .doesNotContain("Seq Scan");
    }

    /**
     * After V13 (the plain indexes that duplicated a {@code text_pattern_ops} one are gone), every key a query
     * uses is still served by an index: EXPLAIN with sequential scans off (a small table) for equality and prefix
     * LIKE on each key, the list of Study Instance UIDs, and the console query by station, status and day.
     */
    @Test
    void eachKeyIsServedByAnIndexAfterV13() {
        for (int i = 0; i < 300; i++) {
            add("IDX" + i, "I" + i, "PI" + i, "NAME" + i + "^X", "MR_IDX", "MR", MON_8.plusMinutes(i),
                    org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED);
        }
        java.util.Map<String, String> where = new java.util.LinkedHashMap<>();
        where.put("patient_name = 'NAME12^X'", "ix_item_patient_name_pattern");
        where.put("patient_name LIKE 'NAME12%' ESCAPE '!'", "ix_item_patient_name_pattern");
        where.put("patient_name_norm = 'NAME12^X'", "ix_item_patient_name_norm_pattern");
        where.put("patient_name_norm LIKE 'NAME1%' ESCAPE '!'", "ix_item_patient_name_norm_pattern");
        where.put("patient_id = 'PI7'", "ix_item_patient_id_pattern");
        where.put("accession_number = 'I33'", "ix_item_accession_number_pattern");
        where.put("accession_number = 'I33' AND placer_order_number <> 'X' AND status <> 'CANCELED'",
                "ix_item_accession_number_pattern");
        where.put("requested_procedure_id = 'RP40'", "ix_item_requested_procedure_id_pattern");
        where.put("sps_id = 'IDX5'", "ix_item_sps_id");
        where.put("study_instance_uid IN ('1.2.3.5', '1.2.3.6')", "ix_item_study_uid");
        where.put("station_ae_title = 'MR_IDX' AND status IN ('SCHEDULED') AND scheduled_start >= '2026-03-02'"
                + " AND scheduled_start <= '2026-03-02 23:59:59' ORDER BY scheduled_start, id",
                "ix_item_station_"); // on 300 rows of one station PostgreSQL may take either station index
        where.put("status IN ('SCHEDULED') AND scheduled_start >= '2026-03-02'"
                + " AND scheduled_start <= '2026-03-02 23:59:59' ORDER BY scheduled_start, id",
                "ix_item_status_start");
        for (var e : where.entrySet()) {
            List<String> plan = db.read(c -> {
                List<String> lines = new ArrayList<>();
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE worklist_item");
                    s.execute("SET enable_seqscan = off");
                    try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM worklist_item WHERE " + e.getKey())) {
                        while (rs.next()) {
                            lines.add(rs.getString(1));
                        }
                    }
                    s.execute("RESET enable_seqscan");
                }
                return lines;
            });
            assertThat(String.join("\n", plan)).as(e.getKey()).contains(e.getValue()).doesNotContain("Seq Scan");
        }
        List<String> indexes = db.read(c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'worklist_item' ORDER BY indexname")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
        assertThat(indexes).doesNotContain("ix_item_patient_name", "ix_item_patient_name_norm", "ix_item_patient_id",
                "ix_item_accession", "ix_item_req_proc_id");
    }

    /**
     * Issue 17.5 on PostgreSQL: a worklist query stuck in the database (here behind a table lock another session
     * holds) is cancelled as soon as its client is gone, and stopped by the statement timeout otherwise.
     */
    @Test
    void aStuckQueryIsCancelledWhenItsClientIsGoneAndStoppedByTheStatementTimeout() throws Exception {
        add("LOCK1", "L1", "PL1", "LOCKED^ONE", "MR_LOCK", "MR", MON_8, org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED);
        try (java.sql.Connection locker = db.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE worklist_item IN ACCESS EXCLUSIVE MODE");
            }
            java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
            Thread leave = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                gone.set(true); // the association ended
            });
            long start = System.nanoTime();
            leave.start();
            int handed = store.query(org.ofsep.mwl.core.store.WorklistQuery.all(), item -> true, gone::get);
            assertThat(handed).isZero();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));

            JdbcWorklistStore timed = new JdbcWorklistStore(db).queryTimeout(java.time.Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> timed.query(
                    org.ofsep.mwl.core.store.WorklistQuery.all(), item -> true)).isInstanceOf(StoreException.class);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                    .isBetween(java.time.Duration.ofMillis(900), java.time.Duration.ofSeconds(4));
            locker.rollback();
        }
        // the pooled connections carry no timeout afterwards, and the store answers again
        assertThat(store.query(org.ofsep.mwl.core.store.WorklistQuery.all(), item -> true)).isPositive();
    }
}
