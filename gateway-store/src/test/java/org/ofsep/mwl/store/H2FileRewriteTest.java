package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.review.AuditEvent;

/** {@code gateway compact}'s store side: a grown H2 file rewritten with only its live data, checked, swapped. */
class H2FileRewriteTest {

    @TempDir
    Path tmp;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T02:30:00Z"), ZoneOffset.UTC);

    private static long[] maxIdAndCount(Database db) {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT MAX(id), COUNT(*) FROM audit_event")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    /** A store in tmp/data holding {@code n} audit events, each its own commit, closed. */
    private DatabaseSettings storeWithEvents(int n) {
        DatabaseSettings settings = DatabaseSettings.h2(tmp.resolve("data"));
        try (Database db = Database.open(settings)) {
            AuditTable audit = new AuditTable(db);
            for (int i = 0; i < n; i++) {
                audit.record(AuditEvent.of(Instant.now(), "admin", null, "TEST", "event " + i));
            }
        }
        return settings;
    }

    @Test
    void aGrownFileIsRewrittenSmallerWithEveryRowAndTheNextIdsKept() throws Exception {
        DatabaseSettings settings = DatabaseSettings.h2(tmp.resolve("data"));
        long[] before;
        try (Database db = Database.open(settings)) {
            // one commit per event, as the gateway commits one order at a time, without the running maintenance:
            // every commit appends a chunk (the file of a gateway before that maintenance existed)
            AuditTable audit = new AuditTable(db);
            for (int i = 0; i < 2_000; i++) {
                audit.record(AuditEvent.of(Instant.now(), "admin", "127.0.0.1", "TEST", "event " + i));
            }
            before = maxIdAndCount(db);
        }
        Path file = tmp.resolve("data/gateway.mv.db");

        H2FileRewrite.Result r = H2FileRewrite.rewrite(settings, CLOCK);

        assertThat(r.file()).isEqualTo(file);
        assertThat(r.bytesAfter()).as("rewritten size against %d bytes", r.bytesBefore())
                .isLessThan(r.bytesBefore() / 4);
        assertThat(Files.size(file)).isEqualTo(r.bytesAfter());
        assertThat(r.original()).hasFileName("gateway.mv.db.before-compact-20261206T023000Z");
        assertThat(Files.size(r.original())).as("the original kept as it was").isEqualTo(r.bytesBefore());
        assertThat(r.rowsByTable()).containsEntry("PUBLIC.AUDIT_EVENT", 2_000L)
                .containsKey("PUBLIC.flyway_schema_history").containsKey("PUBLIC.WORKLIST_ITEM");
        assertThat(tmp.resolve("data/gateway-compacting.mv.db")).doesNotExist();

        // the gateway opens the rewritten store (its migrations are all there) and goes on from the same ids
        try (Database db = Database.open(settings)) {
            assertThat(maxIdAndCount(db)).containsExactly(before[0], before[1]);
            new AuditTable(db).record(AuditEvent.of(Instant.now(), "admin", null, "TEST", "after the rewrite"));
            long[] after = maxIdAndCount(db);
            assertThat(after[0]).isGreaterThan(before[0]);
            assertThat(after[1]).isEqualTo(before[1] + 1);
        }
        // and the kept original still opens with all its rows, to go back to it
        Path back = tmp.resolve("back");
        Files.createDirectories(back);
        Files.copy(r.original(), back.resolve("gateway.mv.db"));
        try (Database db = Database.open(DatabaseSettings.h2(back))) {
            assertThat(maxIdAndCount(db)).containsExactly(before[0], before[1]);
        }
    }

    /** A copy that differs from the store (here one row removed from it) is deleted; the store stays as it was. */
    @Test
    void aCopyThatDiffersIsDroppedAndTheStoreLeftAsItWas() throws Exception {
        DatabaseSettings settings = storeWithEvents(50);
        assertThatThrownBy(() -> H2FileRewrite.rewrite(settings, CLOCK, copy -> {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy, "sa", "");
                 Statement s = c.createStatement()) {
                s.execute("DELETE FROM audit_event WHERE id = (SELECT MIN(id) FROM audit_event)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        })).isInstanceOf(H2FileRewrite.Mismatch.class).hasMessageContaining("table PUBLIC.AUDIT_EVENT");
        try (Stream<Path> files = Files.list(tmp.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains("compacting") || n.contains("before-compact"));
        }
        try (Database db = Database.open(settings)) {
            assertThat(maxIdAndCount(db)[1]).isEqualTo(50);
        }
    }

    /** A write to the store while it was copied (a process that did not see the lock) drops the copy. */
    @Test
    void aStoreWrittenWhileItWasCopiedIsLeftAsItWas() throws Exception {
        DatabaseSettings settings = storeWithEvents(1);
        assertThatThrownBy(() -> H2FileRewrite.rewrite(settings, CLOCK, copy -> {
            try (Database db = Database.open(settings)) {
                new AuditTable(db).record(AuditEvent.of(Instant.now(), "late", null, "TEST", "written meanwhile"));
            }
        })).isInstanceOf(H2FileRewrite.Mismatch.class).hasMessageContaining("changed while it was copied");
        try (Database db = Database.open(settings)) {
            assertThat(maxIdAndCount(db)[1]).as("both rows, in the store file").isEqualTo(2);
        }
        assertThat(tmp.resolve("data/gateway-compacting.mv.db")).doesNotExist();
    }

    /** A store another user holds open at the swap is not replaced (the swap takes H2's own file lock). */
    @Test
    void aStoreHeldOpenAtTheSwapIsNotReplaced() throws Exception {
        DatabaseSettings settings = storeWithEvents(1);
        Database[] holder = new Database[1];
        try {
            assertThatThrownBy(() -> H2FileRewrite.rewrite(settings, CLOCK, copy -> holder[0] = Database.open(settings)))
                    .isNotNull();
        } finally {
            if (holder[0] != null) {
                holder[0].close();
            }
        }
        try (Stream<Path> files = Files.list(tmp.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains("compacting") || n.contains("before-compact"));
        }
        try (Database db = Database.open(settings)) {
            assertThat(maxIdAndCount(db)[1]).isEqualTo(1);
        }
    }

    /** Two runs within the same second keep both originals under their own names. */
    @Test
    void aSecondRunInTheSameSecondKeepsBothOriginals() throws Exception {
        DatabaseSettings settings = storeWithEvents(1);
        H2FileRewrite.Result first = H2FileRewrite.rewrite(settings, CLOCK);
        H2FileRewrite.Result second = H2FileRewrite.rewrite(settings, CLOCK);
        assertThat(first.original()).hasFileName("gateway.mv.db.before-compact-20261206T023000Z").exists();
        assertThat(second.original()).hasFileName("gateway.mv.db.before-compact-20261206T023000Z-2").exists();
        assertThat(tmp.resolve("data/gateway-compacting.mv.db")).doesNotExist();
    }

    @Test
    void theCheckSeesOneChangedValueButNotTheOrderOfTheRows() throws Exception {
        DatabaseSettings a = DatabaseSettings.h2(tmp.resolve("a"));
        DatabaseSettings b = DatabaseSettings.h2(tmp.resolve("b"));
        try (Connection ca = DriverManager.getConnection(a.url(), a.user(), a.password());
             Connection cb = DriverManager.getConnection(b.url(), b.user(), b.password());
             Statement sa = ca.createStatement(); Statement sb = cb.createStatement()) {
            sa.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(20), w VARCHAR(20))");
            sb.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(20), w VARCHAR(20))");
            for (int i = 0; i < 100; i++) {
                sa.execute("INSERT INTO t VALUES (" + i + ", 'v" + i + "', NULL)");
                sb.execute("INSERT INTO t VALUES (" + (99 - i) + ", 'v" + (99 - i) + "', NULL)");
            }
        }
        Map<String, String> da = H2FileRewrite.digests(a.url(), a);
        assertThat(H2FileRewrite.digests(b.url(), b)).isEqualTo(da);
        assertThat(da.get("table PUBLIC.T")).startsWith("100 ");
        try (Connection cb = DriverManager.getConnection(b.url(), b.user(), b.password());
             Statement sb = cb.createStatement()) {
            // the same characters moved from one column to the next, and an empty value for a null
            sb.execute("UPDATE t SET v = 'v', w = '7' WHERE id = 7");
            assertThat(H2FileRewrite.digests(b.url(), b).get("table PUBLIC.T")).startsWith("100 ")
                    .isNotEqualTo(da.get("table PUBLIC.T"));
            sb.execute("UPDATE t SET v = 'v7', w = '' WHERE id = 7");
            assertThat(H2FileRewrite.digests(b.url(), b).get("table PUBLIC.T")).isNotEqualTo(da.get("table PUBLIC.T"));
            sb.execute("UPDATE t SET w = NULL WHERE id = 7");
            assertThat(H2FileRewrite.digests(b.url(), b)).isEqualTo(da);
            sb.execute("CREATE SEQUENCE s START WITH 5");
            assertThat(H2FileRewrite.digests(b.url(), b)).containsEntry("sequence PUBLIC.S", "5");
        }
    }

    @Test
    void onlyAnExistingEmbeddedFileIsRewritten() {
        assertThatThrownBy(() -> H2FileRewrite.rewrite(new DatabaseSettings("jdbc:postgresql://db:5432/mwl", "u",
                "p", 2), CLOCK)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an embedded H2");
        assertThatThrownBy(() -> H2FileRewrite.rewrite(DatabaseSettings.h2(tmp.resolve("none")), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no store file there");
    }
}
