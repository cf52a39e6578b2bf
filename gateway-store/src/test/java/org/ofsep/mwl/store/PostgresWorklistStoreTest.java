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
