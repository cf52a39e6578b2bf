package org.ofsep.mwl.store;

import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 3: worklist indexes shaped by the queries actually run. A console asks for its own station, a day,
 * SCHEDULED: one (station, status, start) index answers that in order. Indexes no query uses (start alone,
 * modality, last change) are dropped, because every index costs on each order: on H2 each commit writes the
 * changed pages of every index. On H2 the ID sequence also gets a cache, so drawing IDs does not force extra
 * store writes (a crash only leaves a gap, IDs are never reused).
 */
public final class V3__QueryShapedIndexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean h2 = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                .contains("h2");
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("DROP INDEX ix_item_start");
            s.execute("DROP INDEX ix_item_modality");
            s.execute("DROP INDEX ix_item_updated");
            s.execute("DROP INDEX ix_item_station_start");
            s.execute("CREATE INDEX ix_item_station_status_start ON worklist_item "
                    + "(station_ae_title, status, scheduled_start)");
            if (h2) {
                s.execute("ALTER SEQUENCE generated_id_seq CACHE 1000");
            }
        }
    }
}
