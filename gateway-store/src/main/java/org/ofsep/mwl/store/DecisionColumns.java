package org.ofsep.mwl.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.Vendor;

/**
 * A decision as the store keeps it (migration V5): its scalars in typed columns of {@code worklist_item}, its lists
 * (reasons, alerts, facts, optional sequences) as one JSON array column each, its protocol codes as one row of
 * {@code item_protocol_code} per item (V12: a JSON object of code lists by vendor, vendor {@code DEFAULT} for the
 * codes every station receives). Nothing derived from
 * the decision (worklist texts) is stored: it is rendered from the decision when an item is read.
 */
final class DecisionColumns {

    /** The decision's columns of worklist_item, in the order {@link #bind} writes them. */
    static final String COLUMNS = "ofsep, exam_card, contrast, contrast_optional, spine, spine_due, decision_rule, "
            + "contrast_agent, contrast_mmol, contrast_ml, next_mri_months, reasons, alerts, facts, optional_sequences";
    static final int COUNT = 15;
    /** SQL types of {@link #COLUMNS}, for a step without a decision (PostgreSQL wants typed nulls). */
    private static final int[] NULL_TYPES = {Types.BOOLEAN, Types.VARCHAR, Types.BOOLEAN, Types.BOOLEAN,
        Types.BOOLEAN, Types.BOOLEAN, Types.VARCHAR, Types.VARCHAR, Types.DOUBLE, Types.DOUBLE, Types.INTEGER,
        Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR};
    /** Vendor of the codes every station receives (the OFSEP code, or the RIS code of a pass-through order). */
    static final String DEFAULT_VENDOR = "DEFAULT";

    private static final JsonFactory JSON = new JsonFactory();

    private DecisionColumns() {
    }

    /** Binds the decision's columns from {@code i}; a missing decision is all nulls. Returns the next index. */
    static int bind(PreparedStatement ps, int i, Decision d) throws SQLException {
        if (d == null) {
            for (int type : NULL_TYPES) {
                ps.setNull(i++, type);
            }
            return i;
        }
        ps.setBoolean(i++, d.ofsep());
        ps.setString(i++, d.examCard() == null ? null : d.examCard().name());
        ps.setBoolean(i++, d.contrast());
        ps.setBoolean(i++, d.contrastOptional());
        ps.setBoolean(i++, d.spine());
        ps.setBoolean(i++, d.spineDue());
        ps.setString(i++, d.rule().name());
        ContrastDose dose = d.contrastDose();
        ps.setString(i++, dose == null ? null : dose.agent());
        if (dose == null) {
            ps.setNull(i++, Types.DOUBLE);
            ps.setNull(i++, Types.DOUBLE);
        } else {
            ps.setDouble(i++, dose.mmol());
            ps.setDouble(i++, dose.ml());
        }
        if (d.nextMriMonths() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, d.nextMriMonths());
        }
        ps.setString(i++, strings(d.reasons()));
        ps.setString(i++, strings(d.alerts()));
        ps.setString(i++, facts(d.facts()));
        ps.setString(i++, strings(d.optionalSequences()));
        return i;
    }

    /** The decision's columns read from position {@code first} on, without its protocol codes; null for none. */
    static Parts read(ResultSet rs, int first) throws SQLException {
        int i = first;
        boolean ofsep = rs.getBoolean(i++);
        if (rs.wasNull()) {
            return null;
        }
        String card = rs.getString(i++);
        boolean contrast = rs.getBoolean(i++);
        boolean optional = rs.getBoolean(i++);
        boolean spine = rs.getBoolean(i++);
        boolean spineDue = rs.getBoolean(i++);
        RuleId rule = RuleId.valueOf(rs.getString(i++));
        String agent = rs.getString(i++);
        double mmol = rs.getDouble(i++);
        double ml = rs.getDouble(i++);
        ContrastDose dose = agent == null ? null : new ContrastDose(agent, mmol, ml);
        int next = rs.getInt(i++);
        Integer nextMonths = rs.wasNull() ? null : next;
        return new Parts(ofsep, card == null ? null : ExamCard.valueOf(card), contrast, optional, spine, spineDue,
                rule, readStrings(rs.getString(i++)), readStrings(rs.getString(i++)), dose, nextMonths,
                readStrings(rs.getString(i + 1)), readFacts(rs.getString(i)));
    }

    /** A decision read from its columns, waiting for its protocol codes. */
    record Parts(boolean ofsep, ExamCard examCard, boolean contrast, boolean contrastOptional, boolean spine,
                 boolean spineDue, RuleId rule, List<String> reasons, List<String> alerts, ContrastDose dose,
                 Integer nextMriMonths, List<String> optionalSequences, List<Fact> facts) {

        Decision with(Codes codes) {
            return new Decision(ofsep, examCard, contrast, contrastOptional, spine, spineDue, rule, reasons, alerts,
                    dose, nextMriMonths, optionalSequences, codes == null ? List.of() : codes.defaults,
                    codes == null ? Map.of() : codes.vendors, facts);
        }
    }

    /** The protocol codes of one item. */
    static final class Codes {
        final List<ProtocolCode> defaults = new ArrayList<>(2);
        final Map<Vendor, List<ProtocolCode>> vendors = new EnumMap<>(Vendor.class);

        void add(String vendor, ProtocolCode code) {
            if (DEFAULT_VENDOR.equals(vendor)) {
                defaults.add(code);
            } else {
                vendors.computeIfAbsent(Vendor.valueOf(vendor), v -> new ArrayList<>(2)).add(code);
            }
        }
    }

    /**
     * Writes an item's protocol codes: one row per item (V12), its codes as one JSON object of code lists by
     * vendor ({@link #codesJson}); no row for an item without codes. {@code replace}: the item may have a row.
     */
    static void writeCodes(Connection c, long itemId, Decision d, boolean replace) throws SQLException {
        String json = d == null ? null : codesJson(d.defaultCodes(), d.vendorCodes());
        if (json == null) {
            if (replace) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM item_protocol_code WHERE item_id = ?")) {
                    ps.setLong(1, itemId);
                    ps.executeUpdate();
                }
            }
            return;
        }
        if (replace) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE item_protocol_code SET codes = ? WHERE item_id = ?")) {
                ps.setString(1, json);
                ps.setLong(2, itemId);
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item_protocol_code (item_id, codes) VALUES (?, ?)")) {
            ps.setLong(1, itemId);
            ps.setString(2, json);
            ps.executeUpdate();
        }
    }

    /**
     * An item's protocol codes as stored in {@code item_protocol_code.codes}: a JSON object with the vendor
     * {@code DEFAULT} first, then each vendor that has codes of its own, each a list of
     * {@code {"value", "scheme", "meaning"}} in order. A vendor with an empty list is left out (it reads back
     * as a vendor without codes of its own, as the rows before V12 did). Null when there is no code at all.
     */
    static String codesJson(List<ProtocolCode> defaults, Map<Vendor, List<ProtocolCode>> vendors) {
        boolean any = !defaults.isEmpty();
        for (List<ProtocolCode> own : vendors.values()) {
            any |= !own.isEmpty();
        }
        if (!any) {
            return null;
        }
        try {
            StringWriter w = new StringWriter(64 + 96 * (defaults.size() + vendors.size()));
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartObject();
                writeCodeList(g, DEFAULT_VENDOR, defaults);
                for (Vendor v : Vendor.values()) {
                    List<ProtocolCode> own = vendors.get(v);
                    if (own != null) {
                        writeCodeList(g, v.name(), own);
                    }
                }
                g.writeEndObject();
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the protocol codes as JSON", e);
        }
    }

    private static void writeCodeList(JsonGenerator g, String vendor, List<ProtocolCode> codes) throws IOException {
        if (codes.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(vendor);
        for (ProtocolCode code : codes) {
            g.writeStartObject();
            g.writeStringField("value", code.value());
            g.writeStringField("scheme", code.scheme());
            g.writeStringField("meaning", code.meaning());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The codes of {@link #codesJson}. */
    static Codes readCodesJson(String json) throws SQLException {
        Codes out = new Codes();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, json);
            String vendor;
            while ((vendor = p.nextFieldName()) != null) {
                expect(p.nextToken() == JsonToken.START_ARRAY, json);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String value = null;
                    String scheme = null;
                    String meaning = null;
                    String field;
                    while ((field = p.nextFieldName()) != null) {
                        String v = p.nextToken() == JsonToken.VALUE_NULL ? null : p.getText();
                        switch (field) {
                            case "value" -> value = v;
                            case "scheme" -> scheme = v;
                            case "meaning" -> meaning = v;
                            default -> { } // a later version's field
                        }
                    }
                    out.add(vendor, new ProtocolCode(value, scheme, meaning));
                }
                expect(p.currentToken() == JsonToken.END_ARRAY, json);
            }
            expect(p.currentToken() == JsonToken.END_OBJECT, json);
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new SQLException("stored protocol codes are not a JSON object of code lists by vendor: "
                    + e.getMessage(), e);
        }
    }

    /** Statement sizes for reading the codes of several items: one plan per size, ids padded with a repeat. */
    private static final int[] BATCH_SIZES = {1, 8, 32, 128};

    /** The protocol codes of these items (at most {@link #maxBatch()} ids), by item id. */
    static Map<Long, Codes> readCodes(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        int size = batchSize(ids.size());
        Map<Long, Codes> out = new HashMap<>(ids.size() * 2);
        String sql = "SELECT item_id, codes FROM item_protocol_code"
                + " WHERE item_id IN (" + placeholders(size) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindPadded(ps, 1, ids, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), readCodesJson(rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The most ids {@link #readCodes} takes at once. */
    static int maxBatch() {
        return BATCH_SIZES[BATCH_SIZES.length - 1];
    }

    /**
     * The placeholders an {@code IN} list of {@code n} ids gets: the smallest of {@link #BATCH_SIZES} that holds
     * them, so that a few statement texts serve every batch (each parsed and planned once per connection, not
     * once per count of ids). The ids are padded with a repeat of the last one ({@link #bindPadded}).
     */
    static int batchSize(int n) {
        for (int s : BATCH_SIZES) {
            if (s >= n) {
                return s;
            }
        }
        throw new IllegalArgumentException("at most " + maxBatch() + " items per batch");
    }

    /** "?, ?, ?" for {@code n} values of an {@code IN} list. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Binds {@code ids} to {@code size} placeholders from {@code first}, the last id repeated to fill them. */
    static void bindPadded(PreparedStatement ps, int first, List<Long> ids, int size) throws SQLException {
        for (int k = 0; k < size; k++) {
            ps.setLong(first + k, ids.get(Math.min(k, ids.size() - 1)));
        }
    }

    // ---------------------------------------------------------------- JSON arrays

    static String strings(List<String> values) {
        try {
            StringWriter w = new StringWriter(32 + values.size() * 64);
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartArray();
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON array", e);
        }
    }

    static List<String> readStrings(String json) throws SQLException {
        if (json == null || json.length() <= 2) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_ARRAY, json);
            List<String> out = new ArrayList<>();
            String v;
            while ((v = p.nextTextValue()) != null) {
                out.add(v);
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, json);
            return out;
        } catch (IOException e) {
            throw new SQLException("stored list is not a JSON array of strings: " + e.getMessage(), e);
        }
    }

    static String facts(List<Fact> facts) {
        try {
            StringWriter w = new StringWriter(32 + facts.size() * 96);
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartArray();
                for (Fact f : facts) {
                    g.writeStartObject();
                    g.writeStringField("name", f.name());
                    g.writeStringField("value", f.value());
                    g.writeStringField("source", f.source());
                    g.writeStringField("text", f.text());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the facts as JSON", e);
        }
    }

    static List<Fact> readFacts(String json) throws SQLException {
        if (json == null || json.length() <= 2) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_ARRAY, json);
            List<Fact> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String value = null;
                String source = null;
                String text = null;
                String field;
                while ((field = p.nextFieldName()) != null) {
                    String v = p.nextToken() == JsonToken.VALUE_NULL ? null : p.getText();
                    switch (field) {
                        case "name" -> name = v;
                        case "value" -> value = v;
                        case "source" -> source = v;
                        case "text" -> text = v;
                        default -> { } // a later version's field
                    }
                }
                out.add(new Fact(name, value, source, text));
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, json);
            return out;
        } catch (IOException e) {
            throw new SQLException("stored facts are not a JSON array of facts: " + e.getMessage(), e);
        }
    }

    private static void expect(boolean ok, String json) throws IOException {
        if (!ok) {
            throw new IOException("unexpected JSON: " + (json.length() > 80 ? json.substring(0, 80) + "..." : json));
        }
    }
}
