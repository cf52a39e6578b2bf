package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 12: the protocol codes of a worklist item in one row of {@code item_protocol_code} keyed by the item's
 * id alone, the codes of every vendor as one JSON object ({@code {"DEFAULT": [{"value", "scheme", "meaning"}],
 * "SIEMENS": [...]}}, written and read by {@link DecisionColumns}). V5 kept one row per code with the composite
 * primary key (item_id, vendor, position): on H2 that is two B-trees (the table keyed by a hidden row id, and the
 * key's index), about 4 rows in each per order, and every commit rewrote the rightmost leaf and parents of both:
 * 5.4 KB of the 68 KB an order wrote. A single BIGINT primary key is H2's row key, so the table is one B-tree,
 * and its foreign key to {@code worklist_item} (ON DELETE CASCADE, what housekeeping relies on) is served by that
 * same key. The codes keep their own table (issue 15, item 4): per vendor, in order, readable with SQL.
 * Existing rows are converted, in the order of their position (written here with a plain JSON tree, so that this
 * migration does not depend on later versions of the Java types). The order of the vendors in the object does not
 * matter to the reader.
 */
public final class V12__OneProtocolCodeRowPerItem extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item_protocol_codes_v12 ("
                    + " item_id BIGINT PRIMARY KEY REFERENCES worklist_item (id) ON DELETE CASCADE,"
                    + " codes TEXT NOT NULL)");
        }
        convert(c);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE item_protocol_code");
            s.execute("ALTER TABLE item_protocol_codes_v12 RENAME TO item_protocol_code");
        }
    }

    private static void convert(Connection c) throws Exception {
        try (Statement read = c.createStatement();
             ResultSet rs = read.executeQuery("SELECT item_id, vendor, code_value, code_scheme, code_meaning"
                     + " FROM item_protocol_code ORDER BY item_id, vendor, position");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO item_protocol_codes_v12 (item_id, codes) VALUES (?, ?)")) {
            long current = -1;
            ObjectNode codes = null;
            int pending = 0;
            while (rs.next()) {
                long id = rs.getLong(1);
                if (id != current) {
                    pending += flush(insert, current, codes);
                    current = id;
                    codes = JSON.createObjectNode();
                }
                String vendor = rs.getString(2);
                ArrayNode list = codes.has(vendor) ? (ArrayNode) codes.get(vendor) : codes.putArray(vendor);
                ObjectNode code = list.addObject();
                code.put("value", rs.getString(3));
                code.put("scheme", rs.getString(4));
                code.put("meaning", rs.getString(5));
                if (pending >= BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            pending += flush(insert, current, codes);
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private static int flush(PreparedStatement insert, long id, ObjectNode codes) throws Exception {
        if (id < 0 || codes == null || codes.isEmpty()) {
            return 0;
        }
        insert.setLong(1, id);
        insert.setString(2, JSON.writeValueAsString(codes));
        insert.addBatch();
        return 1;
    }
}
