package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.store.priors.JdbcPriorLookupQueue;

/**
 * V14 on a store at V13, on H2 and on PostgreSQL: a durable PACS lookup written before it (the order as JSON) is
 * still claimed and read; a new one names its logged message and holds no JSON; the table keeps only its primary
 * key (the two V9 indexes are gone).
 */
class PriorLookupMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void h2StoreAtV13KeepsItsPendingLookups() throws Exception {
        migratesAStoreAtV13(DatabaseSettings.h2(tmp.resolve("v13")));
    }

    @Test
    void postgresStoreAtV13KeepsItsPendingLookups() throws Exception {
        migratesAStoreAtV13(EmbeddedPg.newDatabase());
    }

    private void migratesAStoreAtV13(DatabaseSettings settings) throws Exception {
        String json = Json.MAPPER.writeValueAsString(QueueLogLeaseContract.order("OLD1"));
        try (HikariDataSource ds = OlderStore.at(settings, "13")) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                    + " prior_lookup (placer_order_number, order_json, created_at, attempts, claimed_by, due_at)"
                    + " VALUES ('OLD1', ?, ?, 1, 'gw-before-v14', ?)")) {
                ps.setString(1, json);
                SqlTime.setInstant(ps, 2, DatabaseTest.T0);
                SqlTime.setInstant(ps, 3, DatabaseTest.T0.plusSeconds(30)); // its claim lapses after the upgrade
                ps.executeUpdate();
            }
        }
        MutableClock clock = new MutableClock(DatabaseTest.T0.plusSeconds(60));
        Database db = Database.open(settings);
        try {
            var q = new JdbcPriorLookupQueue(db, clock);
            JdbcMessageLog log = new JdbcMessageLog(db, clock);
            // a lookup written after the upgrade names its message
            long added = db.inOneTransaction(() -> q.add(QueueLogLeaseContract.order("M1"), log.record("RIS^HOSP",
                    "MSGM1", "ORM^O01", QueueLogLeaseContract.raw("M1"), "AA", "MSA|AA", null), null, Duration.ZERO));
            var claimed = q.claimDue("gw-after", 10, Duration.ofSeconds(30), QueueLogLeaseContract.PARSER);
            assertThat(claimed).hasSize(2);
            // the old row: its JSON, its attempts, as written before V14
            assertThat(claimed.get(0).order()).isEqualTo(QueueLogLeaseContract.order("OLD1"));
            assertThat(claimed.get(0).attempts()).isEqualTo(1);
            assertThat(claimed.get(0).unreadable()).isNull();
            assertThat(claimed.get(1).id()).isEqualTo(added);
            assertThat(claimed.get(1).order()).isEqualTo(QueueLogLeaseContract.order("M1"));
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT message_id, order_json FROM prior_lookup ORDER BY id");
                     ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject(1)).isNull();
                    assertThat(rs.getString(2)).isEqualTo(json);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isPositive();
                    assertThat(rs.getString(2)).isNull();
                }
                // only the primary key's index is left
                List<String> indexes = new ArrayList<>();
                boolean h2 = settings.url().startsWith("jdbc:h2");
                try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, h2 ? "PRIOR_LOOKUP" : "prior_lookup",
                        false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null) {
                            indexes.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
                assertThat(indexes).hasSize(1).noneMatch(i -> i.startsWith("ix_prior_lookup"));
                return null;
            });
            claimed.forEach(p -> q.done(p.id()));
            assertThat(q.depth()).isZero();
        } finally {
            db.close();
        }
    }
}
