package org.ofsep.mwl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.Iterator;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 5: the decision in typed columns. Until now each worklist item kept its decision as a JSON document
 * ({@code decision_json}) plus three texts derived from it (Medical Alerts joined with backslashes, Requested
 * Procedure Comments, Requested Contrast Agent); the C-FIND path parsed the JSON on every row. Now:
 * <ul>
 *   <li>{@code worklist_item} holds the decision's scalars as columns (card, contrast, contrast optional, spine,
 *       spine due, rule, dose, next MRI interval) and its lists (reasons, alerts, facts, optional sequences) as
 *       one JSON array column each (the review state of a decision is kept by V7's {@code item_review});</li>
 *   <li>{@code item_protocol_code} holds the protocol codes, the default (OFSEP or RIS) codes under vendor
 *       {@code DEFAULT} and each vendor's own, in order;</li>
 *   <li>the derived texts are no longer stored: they are rendered from the decision when an item is read.</li>
 * </ul>
 * Existing rows are converted from their {@code decision_json} (read here as a plain JSON tree, so this migration
 * does not depend on later versions of the Java types), then the old columns are dropped.
 */
public final class V5__DecisionColumns extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE worklist_item ADD COLUMN ofsep BOOLEAN");
            s.execute("ALTER TABLE worklist_item ADD COLUMN exam_card VARCHAR(16)");
            s.execute("ALTER TABLE worklist_item ADD COLUMN contrast BOOLEAN");
            s.execute("ALTER TABLE worklist_item ADD COLUMN contrast_optional BOOLEAN");
            s.execute("ALTER TABLE worklist_item ADD COLUMN spine BOOLEAN");
            s.execute("ALTER TABLE worklist_item ADD COLUMN spine_due BOOLEAN");
            s.execute("ALTER TABLE worklist_item ADD COLUMN decision_rule VARCHAR(32)");
            s.execute("ALTER TABLE worklist_item ADD COLUMN contrast_agent VARCHAR(64)");
            s.execute("ALTER TABLE worklist_item ADD COLUMN contrast_mmol DOUBLE PRECISION");
            s.execute("ALTER TABLE worklist_item ADD COLUMN contrast_ml DOUBLE PRECISION");
            s.execute("ALTER TABLE worklist_item ADD COLUMN next_mri_months INTEGER");
            s.execute("ALTER TABLE worklist_item ADD COLUMN reasons TEXT");
            s.execute("ALTER TABLE worklist_item ADD COLUMN alerts TEXT");
            s.execute("ALTER TABLE worklist_item ADD COLUMN facts TEXT");
            s.execute("ALTER TABLE worklist_item ADD COLUMN optional_sequences TEXT");
            s.execute("CREATE TABLE item_protocol_code ("
                    + " item_id BIGINT NOT NULL REFERENCES worklist_item (id) ON DELETE CASCADE,"
                    + " vendor VARCHAR(16) NOT NULL,"
                    + " position INTEGER NOT NULL,"
                    + " code_value VARCHAR(64),"
                    + " code_scheme VARCHAR(64),"
                    + " code_meaning VARCHAR(400),"
                    + " PRIMARY KEY (item_id, vendor, position))");
        }
        convert(c);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE worklist_item DROP COLUMN decision_json");
            s.execute("ALTER TABLE worklist_item DROP COLUMN medical_alerts");
            s.execute("ALTER TABLE worklist_item DROP COLUMN procedure_comments");
            s.execute("ALTER TABLE worklist_item DROP COLUMN requested_contrast_agent");
        }
    }

    private static void convert(Connection c) throws Exception {
        try (Statement read = c.createStatement();
             ResultSet rs = read.executeQuery(
                     "SELECT id, decision_json FROM worklist_item WHERE decision_json IS NOT NULL ORDER BY id");
             PreparedStatement item = c.prepareStatement("UPDATE worklist_item SET ofsep = ?, exam_card = ?,"
                     + " contrast = ?, contrast_optional = ?, spine = ?, spine_due = ?, decision_rule = ?,"
                     + " contrast_agent = ?, contrast_mmol = ?, contrast_ml = ?, next_mri_months = ?, reasons = ?,"
                     + " alerts = ?, facts = ?, optional_sequences = ? WHERE id = ?");
             PreparedStatement code = c.prepareStatement("INSERT INTO item_protocol_code (item_id, vendor,"
                     + " position, code_value, code_scheme, code_meaning) VALUES (?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            while (rs.next()) {
                long id = rs.getLong(1);
                JsonNode d = JSON.readTree(rs.getString(2));
                int i = 1;
                item.setBoolean(i++, d.path("ofsep").asBoolean(false));
                item.setString(i++, text(d.get("examCard")));
                item.setBoolean(i++, d.path("contrast").asBoolean(false));
                item.setBoolean(i++, d.path("contrastOptional").asBoolean(false));
                item.setBoolean(i++, d.path("spine").asBoolean(false));
                item.setBoolean(i++, d.path("spineDue").asBoolean(false));
                item.setString(i++, text(d.get("rule")));
                JsonNode dose = d.get("contrastDose");
                boolean hasDose = dose != null && dose.isObject();
                item.setString(i++, hasDose ? text(dose.get("agent")) : null);
                setDouble(item, i++, hasDose ? dose.get("mmol") : null);
                setDouble(item, i++, hasDose ? dose.get("ml") : null);
                JsonNode next = d.get("nextMriMonths");
                if (next == null || !next.isNumber()) {
                    item.setNull(i++, Types.INTEGER);
                } else {
                    item.setInt(i++, next.asInt());
                }
                item.setString(i++, array(d.get("reasons")));
                item.setString(i++, array(d.get("alerts")));
                item.setString(i++, "[]"); // decisions before V5 did not keep their facts
                item.setString(i++, array(d.get("optionalSequences")));
                item.setLong(i, id);
                item.addBatch();
                codes(code, id, "DEFAULT", d.get("defaultCodes"));
                JsonNode vendors = d.get("vendorCodes");
                if (vendors != null && vendors.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = vendors.fields(); it.hasNext(); ) {
                        var e = it.next();
                        codes(code, id, e.getKey(), e.getValue());
                    }
                }
                if (++pending == BATCH) {
                    item.executeBatch();
                    code.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                item.executeBatch();
                code.executeBatch();
            }
        }
    }

    private static void codes(PreparedStatement ps, long id, String vendor, JsonNode list) throws Exception {
        if (list == null || !list.isArray()) {
            return;
        }
        int position = 0;
        for (JsonNode c : list) {
            String value = text(c.get("value"));
            ps.setLong(1, id);
            ps.setString(2, vendor);
            ps.setInt(3, position++);
            ps.setString(4, value);
            ps.setString(5, text(c.get("scheme")));
            ps.setString(6, text(c.get("meaning")));
            ps.addBatch();
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static void setDouble(PreparedStatement ps, int i, JsonNode n) throws Exception {
        if (n == null || !n.isNumber()) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, n.asDouble());
        }
    }

    private static String array(JsonNode n) {
        return n != null && n.isArray() ? n.toString() : "[]";
    }
}
