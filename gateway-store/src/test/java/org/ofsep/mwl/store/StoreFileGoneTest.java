package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's file deleted under the running gateway (a data directory removed by mistake): H2 kept
 * writing to the open, unlinked file, every order got AA, /health stayed UP, and all of it was gone at the next
 * start (found by an independent review). Now writes are refused with the reason until a restart.
 */
class StoreFileGoneTest {
    @TempDir
    Path tmp;

    @Test
    void aDeletedStoreFileStopsTheWritesAndSaysWhy() throws Exception {
        Path data = tmp.resolve("data");
        try (Database db = Database.open(DatabaseSettings.h2(data))) {
            assertThat(db.probeWrite()).isNull();
            Files.delete(data.resolve("gateway.mv.db"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (db.writeFailure() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(db.writeFailure()).contains("gateway.mv.db").contains("was deleted while the gateway ran");
            assertThat(db.probeWrite()).contains("was deleted");
            assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().executeUpdate(
                    "UPDATE job_lease SET owner = owner"))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("was deleted");
            Thread.sleep(2_500); // the recovery does not clear it: only a restart does
            assertThat(db.writeFailure()).contains("was deleted");
        }
    }

    /** A file that cannot be read for a moment (a permission changed) is not a deleted file: writes go on. */
    @Test
    void anUnreadableMomentIsNotADeletion() {
        Object inode = "(dev=803,ino=42)";
        assertThat(Database.gone(inode, null, false)).as("attributes not readable, not known absent").isFalse();
        assertThat(Database.gone(inode, null, true)).as("known absent").isTrue();
        assertThat(Database.gone(inode, "(dev=803,ino=43)", false)).as("another file in its place").isTrue();
        assertThat(Database.gone(inode, inode, false)).isFalse();
    }
}
