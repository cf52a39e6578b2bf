package org.ofsep.mwl.store;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 2: on PostgreSQL, b-tree indexes built with text_pattern_ops so that a wildcard query with a fixed
 * prefix ("DUP*" -> LIKE 'DUP%') is an index range scan whatever the database collation; the plain indexes of
 * migration 1 only serve LIKE under the C collation. H2 uses its ordinary indexes for prefix LIKE, so there
 * this migration does nothing; it exists on both so the two engines share one version history.
 */
public final class V2__PostgresPatternIndexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName();
        if (!product.toLowerCase(java.util.Locale.ROOT).contains("postgresql")) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            for (String column : new String[] {"patient_name", "patient_name_norm", "patient_id", "accession_number",
                    "requested_procedure_id", "station_ae_title"}) {
                s.execute("CREATE INDEX ix_item_" + column + "_pattern ON worklist_item (" + column
                        + " text_pattern_ops)");
            }
        }
    }
}
