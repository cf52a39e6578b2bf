package org.ofsep.mwl.store;

import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 13: worklist indexes that no query needs, dropped, because every index is a B-tree each order writes
 * (on H2 each commit rewrites the changed leaf and its parents of every tree it touched; on PostgreSQL each index
 * is one more insert and WAL record per step). Checked with EXPLAIN on both engines
 * ({@code H2WorklistStoreTest.queriesUseTheIndexOfTheirMostSelectiveKey},
 * {@code PostgresWorklistStoreTest.eachKeyIsServedByAnIndexAfterV13}; docs/architecture.md, "Schema migrations"):
 * <ul>
 *   <li>H2: {@code ix_item_patient_name}. A name query of a station with {@code fuzzyNames: false} now also
 *       states the folded name ({@code patient_name_norm}, exact or by the folded literal prefix), which
 *       {@code ix_item_patient_name_norm} serves; the exact condition on {@code patient_name} still decides
 *       ({@code JdbcWorklistStore.foldedNameRange}).</li>
 *   <li>PostgreSQL: the plain indexes of patient_name, patient_name_norm, patient_id, accession_number and
 *       requested_procedure_id. Each has a {@code text_pattern_ops} twin since V2, which serves equality
 *       ({@code =}, {@code IN}) as well as a prefix LIKE; nothing compares these columns with {@code <} or
 *       {@code >} or sorts by them on PostgreSQL (the range conditions are only added on H2).</li>
 * </ul>
 * Kept: the status, station and start indexes (console and date-only queries, housekeeping), the order-step key
 * (idempotency), patient ID (queries and ADT updates), accession number (queries, review, the order service's
 * check of each order), SPS ID (queries, order status, MPPS), Requested Procedure ID (a console query key) and
 * Study Instance UID (a list-of-UIDs query).
 */
public final class V13__IndexesQueriesUse extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                .contains("postgresql");
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("DROP INDEX ix_item_patient_name");
            if (postgres) {
                s.execute("DROP INDEX ix_item_patient_name_norm");
                s.execute("DROP INDEX ix_item_patient_id");
                s.execute("DROP INDEX ix_item_accession");
                s.execute("DROP INDEX ix_item_req_proc_id");
            }
        }
    }
}
