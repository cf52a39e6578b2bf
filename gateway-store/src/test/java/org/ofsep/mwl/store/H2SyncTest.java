package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded H2 file's commits write is put on the disk by the file's maintenance ({@link H2Sync}), which
 * H2 alone leaves to the operating system: seen through a file system that counts writes and syncs
 * ({@link SyncSpyFilePath}).
 */
class H2SyncTest {

    @TempDir
    Path tmp;

    /** A commit is on the disk after this at the latest: a maintenance run (every 200 ms) and its sync, with margin. */
    private static final Duration SYNCED_WITHIN = H2Compaction.EVERY.plusSeconds(2);

    @BeforeAll
    static void spy() {
        SyncSpyFilePath.register();
    }

    @AfterEach
    void disksWorkAgain() {
        SyncSpyFilePath.failSyncs = false;
    }

    /** The gateway's H2 settings, on the counting file system. */
    private DatabaseSettings settings() {
        DatabaseSettings h2 = DatabaseSettings.h2(tmp);
        String url = h2.url().replace("jdbc:h2:file:", "jdbc:h2:file:syncspy:");
        return new DatabaseSettings(url, h2.user(), h2.password(), h2.maxPoolSize());
    }

    private static void insert(Database db, int id) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scratch VALUES (?, ?)")) {
                ps.setInt(1, id);
                ps.setString(2, "row " + id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static Database withScratchTable(Database db) {
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE scratch(id INT PRIMARY KEY, v VARCHAR(40))");
            }
            return null;
        });
        return db;
    }

    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void everyCommitIsSyncedToTheDiskSoonAfterAndAnIdleStoreIsNotSynced() throws Exception {
        try (Database db = withScratchTable(Database.open(settings()))) {
            for (int i = 0; i < 6; i++) {
                insert(db, i);
                long written = SyncSpyFilePath.WRITES.get(); // this commit's chunk is among them
                assertThat(within(SYNCED_WITHIN, () -> SyncSpyFilePath.SYNCED_WRITES.get() >= written))
                        .as("commit %d on the disk within %s", i, SYNCED_WITHIN).isTrue();
                if (i % 2 == 0) {
                    Thread.sleep(H2Compaction.EVERY.toMillis() / 2); // commits just after a run and later alike
                }
            }
            assertThat(db.h2File()).get().satisfies(f -> assertThat(f.syncs()).isPositive());

            // nothing written, nothing synced (a sync is only for what was written since the last one)
            assertThat(within(SYNCED_WITHIN, () -> SyncSpyFilePath.SYNCED_WRITES.get() >= SyncSpyFilePath.WRITES.get()))
                    .isTrue();
            long syncs = SyncSpyFilePath.SYNCS.get();
            Thread.sleep(H2Compaction.EVERY.multipliedBy(5).toMillis()); // five runs
            assertThat(SyncSpyFilePath.SYNCS.get()).isEqualTo(syncs);
        }
    }

    @Test
    void aSyncThatFailsMakesTheStoreUnhealthyUntilASyncSucceedsAgain() throws Exception {
        try (Database db = withScratchTable(Database.open(settings()))) {
            insert(db, 1);
            assertThat(within(SYNCED_WITHIN, () -> SyncSpyFilePath.SYNCED_WRITES.get() >= SyncSpyFilePath.WRITES.get()))
                    .isTrue();
            assertThat(db.writeFailure()).isNull();

            SyncSpyFilePath.failSyncs = true;
            insert(db, 2); // in the file, not on the disk
            assertThat(within(SYNCED_WITHIN, () -> db.writeFailure() != null)).isTrue();
            assertThat(db.writeFailure()).contains("could not be synced to the disk");
            assertThat(db.probeWrite()).contains("could not be synced to the disk");

            assertThat(db.writeFailingSince()).isNotNull();
            insert(db, 3); // a commit that succeeds does not make the failing disk healthy
            assertThat(db.writeFailure()).contains("could not be synced to the disk");

            SyncSpyFilePath.failSyncs = false;
            // the next sync (the maintenance tries it at every run) covers what was written and clears the failure
            assertThat(within(SYNCED_WITHIN, () -> db.writeFailure() == null)).isTrue();
            assertThat(db.writeFailingSince()).isNull();
            long written = SyncSpyFilePath.WRITES.get();
            assertThat(within(SYNCED_WITHIN, () -> SyncSpyFilePath.SYNCED_WRITES.get() >= written)).isTrue();
        }
    }
}
