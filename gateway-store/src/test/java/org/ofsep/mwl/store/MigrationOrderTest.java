package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations apply strictly in order (no {@code outOfOrder}): a store of the first release (V1 to V4) goes to
 * the newest version, and a store a development build took past a version it never applied is refused at start
 * and reported by {@code Database.inspect} (what {@code gateway doctor} prints).
 */
class MigrationOrderTest {

    @TempDir
    Path tmp;

    @Test
    void migrationsRunInOrderOnlyAndV6AndV10AreAbsent() {
        var config = Database.migrations();
        assertThat(config.isOutOfOrder()).isFalse();
        String[] versions = Arrays.stream(config.dataSource("jdbc:h2:mem:versions", "sa", "").load().info().all())
                .map(m -> m.getVersion().getVersion()).toArray(String[]::new);
        assertThat(versions).startsWith("1", "2", "3", "4", "5", "7").doesNotContain("6", "10");
    }

    @Test
    void aStoreOfTheFirstReleaseMigratesToTheNewest() {
        DatabaseSettings settings = DatabaseSettings.h2(tmp.resolve("first-release"));
        OlderStore.at(settings, "4").close(); // the first release's schema
        Database.SchemaState before = Database.inspect(settings);
        assertThat(before.current()).isEqualTo("4");
        assertThat(before.pending()).isPositive();
        assertThat(before.problems()).isEmpty();

        Database.open(settings).close();
        Database.SchemaState after = Database.inspect(settings);
        assertThat(after.current()).isEqualTo(after.latest());
        assertThat(after.pending()).isZero();
        assertThat(after.problems()).isEmpty();
    }

    @Test
    void aStorePastAVersionItNeverAppliedIsRefusedAndReported() throws Exception {
        DatabaseSettings settings = DatabaseSettings.h2(tmp.resolve("dev-build"));
        Database.open(settings).close();
        // what a development build that had V7 before V5 left behind: V5 never applied, the store past it
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '5'")).isEqualTo(1);
        }
        Database.SchemaState state = Database.inspect(settings);
        assertThat(state.problems()).singleElement().asString()
                .contains("migration 5 (DecisionColumns) is not applied but the store is already past it");

        assertThatThrownBy(() -> Database.open(settings)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("past migration(s) 5 (DecisionColumns) without having applied them")
                .hasMessageContaining("start on a new store");
        // nothing was changed: the store is refused as it was
        assertThat(Database.inspect(settings).problems()).isEqualTo(state.problems());
    }

}
