package org.ofsep.mwl.store;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the store tests: each test gets a fresh, migrated database. Subclasses pick the engine: the same
 * test methods run on embedded H2 (a file in a temporary directory) and on a real PostgreSQL server.
 */
public abstract class DatabaseTest {

    public static final Instant T0 = Instant.parse("2026-03-02T07:00:00Z");

    @TempDir
    protected Path tmp;
    protected Database db;
    protected DatabaseSettings settings;
    protected MutableClock clock;

    /** Settings for a new, empty database. */
    protected abstract DatabaseSettings newDatabase();

    @BeforeEach
    void openDatabase() {
        clock = new MutableClock(T0);
        settings = newDatabase();
        db = Database.open(settings);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** Settings for a fresh H2 file database in this test's temp directory. */
    protected DatabaseSettings h2() {
        return DatabaseSettings.h2(tmp.resolve("data"));
    }
}
