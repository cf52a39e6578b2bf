package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.store.WorklistQuery;

class H2WorklistStoreTest extends WorklistStoreContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }

    @Override
    protected DatabaseSettings anotherDatabase() {
        return DatabaseSettings.h2(tmp.resolve("another"));
    }

    /** H2's plan for a query as the store builds it, with the rows it scanned. */
    String plan(WorklistQuery q) {
        JdbcWorklistStore.Sql sql = store.toSql(q);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + sql.text)) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void theWholeRowsOfABatchAreReadWithAFewStatementTextsOnly() {
        JdbcWorklistStore.Sql sql = store.toSql(q(List.of("MR_A"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0));
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (int ids = 1; ids <= JdbcWorklistStore.FETCH_SIZE; ids++) {
            texts.add(sql.rowsText(ids));
        }
        // 1, 8, 32 and 128 ids: the sizes the protocol codes are read in, padded with a repeat of the last id
        assertThat(texts).hasSize(4);
        assertThat(sql.rowsText(3)).contains("id IN (?, ?, ?, ?, ?, ?, ?, ?)");
        // a batch with misses scattered through it still returns every step once, in order
        for (int i = 0; i < 40; i++) {
            add("PAD" + i, "PA" + i, "PP" + i, "PAD^" + i, "MR_A", "MR", MON_8.plusMinutes(i), SpsStatus.SCHEDULED);
        }
        WorklistQuery day = q(List.of("MR_A"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0);
        List<String> first = sps(day);
        assertThat(first).hasSize(40).doesNotHaveDuplicates();
        for (int i = 0; i < 40; i += 3) { // every third step changed: a batch of 14 misses between cached steps
            long id = store.findBySpsId("PAD" + i).orElseThrow().id();
            db.inTransaction(c -> {
                ItemTable.updateStatus(c, id, SpsStatus.SCHEDULED, clock.instant()); // a new row version
                return null;
            });
        }
        assertThat(sps(day)).isEqualTo(first);
    }

    /** H2's counter of schema changes: when it moves, every prepared statement of every connection is planned again. */
    long schemaChanges() {
        return db.read(c -> ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession())
                .getDatabase().getModificationMetaId());
    }

    @Test
    void aWorklistQueryLeavesThePreparedStatementsOfTheDatabaseValid() {
        add("META1", "M1", "PM1", "META^ONE", "MR_A", "MR", MON_8, SpsStatus.SCHEDULED);
        WorklistQuery day = q(List.of("MR_A"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0);
        store.queryTimeout(java.time.Duration.ofSeconds(10));
        assertThat(sps(day)).containsExactly("META1");
        long before = schemaChanges();
        for (int i = 0; i < 5; i++) {
            assertThat(sps(day)).containsExactly("META1");
        }
        // Statement.setQueryTimeout runs H2's SET QUERY_TIMEOUT, which counts as a schema change (it moved by two
        // per query): the store keeps its query timeout itself
        assertThat(schemaChanges()).isEqualTo(before);
    }

    @Test
    void queriesUseTheIndexOfTheirMostSelectiveKey() {
        for (int i = 0; i < 400; i++) {
            add("IDX" + i, "I" + i, "PI" + i, "NAME" + i + "^X", i % 2 == 0 ? "MR_A" : "MR_B", "MR",
                    MON_8.plusMinutes(i * 30L), SpsStatus.SCHEDULED);
        }
        db.read(c -> c.createStatement().execute("ANALYZE"));
        // console query: own station, one day, scheduled
        WorklistQuery consoleQuery = q(List.of("MR_A"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0);
        String console = plan(consoleQuery);
        int matches = sps(consoleQuery).size();
        assertThat(matches).isEqualTo(16);
        // the scan touches the matching rows only (H2 counts one more probe at the end of the range)
        assertThat(console).contains("IX_ITEM_STATION_STATUS_START");
        assertThat(scanCount(console)).isLessThanOrEqualTo(matches + 1);
        // name prefix wildcard, with a bind parameter
        // name prefix wildcard and exact name of a station without fuzzyNames: through the folded name's index
        // (V13 dropped the index of patient_name alone on H2)
        String name = plan(q(null, null, null, null, null, "NAME12*", false, null, null, null, null, null, 0));
        assertThat(name).contains("IX_ITEM_PATIENT_NAME_NORM").doesNotContain("IX_ITEM_STATUS_START");
        assertThat(scanCount(name)).isLessThan(20);
        String exactName = plan(q(null, null, null, null, null, "NAME12^X", false, null, null, null, null, null, 0));
        assertThat(exactName).contains("IX_ITEM_PATIENT_NAME_NORM").doesNotContain("IX_ITEM_STATUS_START");
        assertThat(scanCount(exactName)).isLessThan(5);
        // Requested Procedure ID, SPS ID and a list of Study Instance UIDs keep their own index
        assertThat(plan(q(null, null, null, null, null, null, false, null, "RP33", null, null, null, 0)))
                .contains("IX_ITEM_REQ_PROC_ID");
        assertThat(plan(q(null, null, null, null, null, null, false, null, null, "IDX33", null, null, 0)))
                .contains("IX_ITEM_SPS_ID");
        assertThat(plan(q(null, null, null, null, null, null, false, null, null, null, List.of("1.2.3.33", "1.2.3.34"),
                null, 0))).contains("IX_ITEM_STUDY_UID");
        // a date-only range (no station): the status and start index
        assertThat(plan(q(null, null, MON_8.toLocalDate().atStartOfDay(), MON_8.toLocalDate().atTime(23, 59, 59),
                null, null, false, null, null, null, null, null, 0))).contains("IX_ITEM_STATUS_START");
        // fuzzy name, patient ID, accession
        assertThat(plan(q(null, null, null, null, null, "name12*", true, null, null, null, null, null, 0)))
                .contains("IX_ITEM_PATIENT_NAME_NORM");
        assertThat(scanCount(plan(q(null, null, null, null, "PI7", null, false, null, null, null, null, null, 0))))
                .isLessThan(5);
        assertThat(scanCount(plan(q(null, null, null, null, null, null, false, "I33*", null, null, null,
                Set.of(SpsStatus.SCHEDULED), 0)))).isLessThan(20);
    }

    /** One of H2's settings or counters ({@code INFORMATION_SCHEMA.SETTINGS}). */
    static String h2Setting(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Pages H2 read from the file since the database opened ({@code info.FILE_READ}). */
    static long fileReads(java.sql.Connection c) throws java.sql.SQLException {
        return Long.parseLong(h2Setting(c, "info.FILE_READ"));
    }

    @Test
    void theConsoleQueryFindsItsStepsInTheIndexAlone() throws Exception {
        // twenty stations in turn: the steps of one station-day are one row in twenty of the table, each on a
        // table page of its own
        for (int i = 0; i < 600; i++) {
            add("COV" + i, "C" + i, "PC" + i, "COVER^" + i, "MR_" + (i % 20), "MR", MON_8.plusMinutes(i),
                    SpsStatus.SCHEDULED);
        }
        WorklistQuery consoleQuery = q(List.of("MR_7"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0);
        JdbcWorklistStore.Sql sql = store.toSql(consoleQuery);
        db.close(); // the database reopened below starts with an empty page cache
        db = null;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.user(),
                settings.password());
             PreparedStatement ps = c.prepareStatement(sql.text)) {
            sql.bind(ps);
            long before = fileReads(c);
            int steps = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps++;
                }
            }
            long read = fileReads(c) - before;
            assertThat(steps).isEqualTo(30);
            // V15: station, status, start, modality and row version are all in ix_item_station_status_start, so
            // H2 reads a few index pages, not the thirty steps' rows (3 pages read here, 44 with the index of V3)
            assertThat(read).isLessThan(10);
        }
    }

    @Test
    void thePageCacheIsTwoMegabytes() {
        // the page versions H2 keeps there are what G1 copies at every young collection (DatabaseSettings)
        String megabytes = db.read(c -> h2Setting(c, "info.CACHE_MAX_SIZE"));
        assertThat(megabytes).isEqualTo("2");
    }

    static int scanCount(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(plan);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }
}
