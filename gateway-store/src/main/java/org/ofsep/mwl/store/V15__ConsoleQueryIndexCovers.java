package org.ofsep.mwl.store;

import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 15, H2 only: the console query's index holds every column its first statement reads, so H2 answers
 * it from the index alone. The console query ({@code JdbcWorklistStore.query}) first selects the matching steps'
 * {@code id} and {@code row_version} with the conditions on station, status, start and modality; a step the item
 * cache holds at that version is not read again. With {@code ix_item_station_status_start} on (station, status,
 * start) H2 still read every matching row from the table (for {@code modality} and {@code row_version}): one
 * table leaf per step of the station-day, which at the morning peak were mostly not in H2's page cache (read from
 * the file and deserialized, as new objects, at every refresh of every console). H2 takes a column's value from
 * the index entry when the index has it ({@code TableFilter.getValue}): with {@code modality} and
 * {@code row_version} added, a console's refresh reads the one or two index leaves of its station-day
 * ({@code H2WorklistStoreTest.theConsoleQueryFindsItsStepsInTheIndexAlone}).
 * <p>
 * The price on H2: a change of a step's row version (any update) now rewrites its entry in this index too (H2
 * rewrites a secondary index entry only when one of its columns changed). A new order writes as many B-trees as
 * before.
 * <p>
 * Not on PostgreSQL: there, an update that changes no indexed column is a HOT update (no index written at all);
 * {@code row_version} changes on every update, so indexing it would make every update write every index of the
 * table. PostgreSQL's console query reads the rows through its shared buffers, which it does not copy on write.
 */
public final class V15__ConsoleQueryIndexCovers extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean h2 = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                .contains("h2");
        if (!h2) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("DROP INDEX ix_item_station_status_start");
            s.execute("CREATE INDEX ix_item_station_status_start ON worklist_item "
                    + "(station_ae_title, status, scheduled_start, modality, row_version)");
        }
    }
}
