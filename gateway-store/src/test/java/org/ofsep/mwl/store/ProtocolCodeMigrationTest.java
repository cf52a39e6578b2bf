package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Vendor;

/**
 * V12 converts the protocol codes of a store at V11 (one row per code, composite key) into one row per item, on
 * H2 and on PostgreSQL: every item reads back the same codes, per vendor and in order; an item without codes has
 * no row; the table has a single-column key (one B-tree on H2) and still goes with its item (ON DELETE CASCADE).
 */
class ProtocolCodeMigrationTest {

    @TempDir
    Path tmp;

    @Test
    void h2StoreAtV11IsConverted() throws Exception {
        convertsAStoreAtV11(DatabaseSettings.h2(tmp.resolve("v11")));
    }

    @Test
    void postgresStoreAtV11IsConverted() throws Exception {
        convertsAStoreAtV11(EmbeddedPg.newDatabase());
    }

    private void convertsAStoreAtV11(DatabaseSettings settings) throws Exception {
        try (HikariDataSource ds = OlderStore.at(settings, "11")) {
            try (Connection c = ds.getConnection()) {
                long full = item(c, "A");
                long spine = item(c, "B");
                long none = item(c, "C");
                // written out of order on purpose: the conversion follows position, not insertion
                code(c, full, "DEFAULT", 0, "OFSEP-FULL-GD", "99OFSEP", "OFSEP full protocol with gadolinium");
                code(c, full, "SIEMENS", 1, "OFSEP_SPINE_GD", "99SIEMENS", "OFSEP^Spine Gd");
                code(c, full, "SIEMENS", 0, "OFSEP_FULL_GD", "99SIEMENS", "OFSEP^Brain Full Gd");
                code(c, full, "DEFAULT", 1, "OFSEP-SPINE-GD", "99OFSEP", null);
                code(c, full, "GE", 0, "OFSEPFULLGD", "99GEMS", "OFSEP BRAIN \"FULL\" GD");
                code(c, spine, "CANON", 0, "SP", "99CANON", "Spine é");
                assertThat(none).isPositive();
            }
        }
        Database db = Database.open(settings);
        try {
            Map<Long, Decision> read = db.read(c -> {
                Map<Long, Decision> out = new java.util.TreeMap<>();
                List<Long> ids = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT id FROM worklist_item ORDER BY id")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                for (ItemTable.StoredItem s : ItemTable.byIdsNoLock(c, ids)) {
                    out.put(s.item().id(), s.item().decision());
                }
                return out;
            });
            List<Decision> decisions = new ArrayList<>(read.values());
            assertThat(decisions).hasSize(3);
            Decision full = decisions.get(0);
            assertThat(full.defaultCodes()).containsExactly(
                    new ProtocolCode("OFSEP-FULL-GD", "99OFSEP", "OFSEP full protocol with gadolinium"),
                    new ProtocolCode("OFSEP-SPINE-GD", "99OFSEP", null));
            assertThat(full.vendorCodes()).containsOnlyKeys(Vendor.SIEMENS, Vendor.GE);
            assertThat(full.vendorCodes().get(Vendor.SIEMENS)).containsExactly(
                    new ProtocolCode("OFSEP_FULL_GD", "99SIEMENS", "OFSEP^Brain Full Gd"),
                    new ProtocolCode("OFSEP_SPINE_GD", "99SIEMENS", "OFSEP^Spine Gd"));
            assertThat(full.vendorCodes().get(Vendor.GE)).containsExactly(
                    new ProtocolCode("OFSEPFULLGD", "99GEMS", "OFSEP BRAIN \"FULL\" GD"));
            Decision spine = decisions.get(1);
            assertThat(spine.defaultCodes()).isEmpty();
            assertThat(spine.vendorCodes()).containsOnlyKeys(Vendor.CANON);
            assertThat(spine.vendorCodes().get(Vendor.CANON)).containsExactly(
                    new ProtocolCode("SP", "99CANON", "Spine é"));
            Decision none = decisions.get(2);
            assertThat(none.defaultCodes()).isEmpty();
            assertThat(none.vendorCodes()).isEmpty();

            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM item_protocol_code")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("one row per item with codes").isEqualTo(2);
                    }
                    try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, null,
                            settings.url().startsWith("jdbc:h2") ? "ITEM_PROTOCOL_CODE" : "item_protocol_code")) {
                        List<String> key = new ArrayList<>();
                        while (rs.next()) {
                            key.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                        }
                        assertThat(key).containsExactly("item_id");
                    }
                }
                return null;
            });
            // the codes still go with their item
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM worklist_item WHERE id = " + read.keySet().iterator().next());
                }
                return null;
            });
            int left = db.read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM item_protocol_code")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(left).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    /** A V11 worklist row with an OFSEP decision, written with the columns V5 and V11 define. */
    private static long item(Connection c, String key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO worklist_item (placer_order_number, step_key,"
                + " sps_id, requested_procedure_id, study_instance_uid, patient_id, scheduled_start, modality, status,"
                + " created_at, updated_at, ofsep, exam_card, contrast, contrast_optional, spine, spine_due,"
                + " decision_rule, reasons, alerts, facts, optional_sequences) VALUES (?, 'step', ?, ?, ?, 'P1',"
                + " TIMESTAMP '2026-12-05 08:00:00', 'MR', 'SCHEDULED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                + " TRUE, 'FULL', TRUE, FALSE, FALSE, FALSE, 'DIAGNOSIS', '[]', '[]', '[]', '[]')",
                new String[] {"id"})) {
            ps.setString(1, "PO-" + key);
            ps.setString(2, "SPS-" + key);
            ps.setString(3, "RP-" + key);
            ps.setString(4, "1.2.3." + (int) key.charAt(0));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void code(Connection c, long item, String vendor, int position, String value, String scheme,
                             String meaning) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item_protocol_code (item_id, vendor, position,"
                + " code_value, code_scheme, code_meaning) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, item);
            ps.setString(2, vendor);
            ps.setInt(3, position);
            ps.setString(4, value);
            ps.setString(5, scheme);
            ps.setString(6, meaning);
            ps.executeUpdate();
        }
    }
}
