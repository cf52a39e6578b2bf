package org.ofsep.mwl.store;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A store as an older gateway left it, for the migration tests: a pool on {@code settings} with the migrations
 * applied up to {@code version} and no further. The caller writes rows as that version did, closes the pool, then
 * opens the store ({@link Database#open}), which migrates it to the newest.
 */
final class OlderStore {
    private OlderStore() {
    }

    /** A pool on the database, not migrated. */
    static HikariDataSource pool(DatabaseSettings settings) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(settings.url());
        ds.setUsername(settings.user());
        ds.setPassword(settings.password());
        return ds;
    }

    /** A pool on the database, migrated up to {@code version}. */
    static HikariDataSource at(DatabaseSettings settings, String version) {
        HikariDataSource ds = pool(settings);
        try {
            Database.migrations(ds).target(version).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return ds;
    }
}
