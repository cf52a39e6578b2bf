package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.review.AuditEvent;

/**
 * The append-only audit trail (table audit_event): inserts and reads, nothing else. Every change a person makes
 * is written in the same transaction as the change itself.
 */
public final class AuditTable {
    private static final String COLUMNS = "id, at, actor, address, action, item_id, accession_number, before_json, "
            + "after_json, reason, detail, rules_contrast, after_contrast";

    private final Database db;

    public AuditTable(Database db) {
        this.db = db;
    }

    /** Appends one event in its own transaction (or the calling thread's joined one). */
    public void record(AuditEvent e) {
        db.inTransaction(c -> {
            insert(c, e);
            return null;
        });
    }

    /** Appends one event on the caller's connection (inside the caller's transaction). */
    public static void insert(Connection c, AuditEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (at, actor, address, action, item_id, "
                + "accession_number, before_json, after_json, reason, detail, rules_contrast, after_contrast) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            SqlTime.setInstant(ps, 1, e.at());
            ps.setString(2, e.actor());
            ps.setString(3, e.address());
            ps.setString(4, e.action());
            if (e.itemId() == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, e.itemId());
            }
            ps.setString(6, e.accessionNumber());
            ps.setString(7, e.before());
            ps.setString(8, e.after());
            ps.setString(9, e.reason());
            ps.setString(10, e.detail());
            bool(ps, 11, e.rulesContrast());
            bool(ps, 12, e.afterContrast());
            ps.executeUpdate();
        }
    }

    private static void bool(PreparedStatement ps, int i, Boolean b) throws SQLException {
        if (b == null) {
            ps.setNull(i, Types.BOOLEAN);
        } else {
            ps.setBoolean(i, b);
        }
    }

    /** The detail of the newest event of these actions, or null when there is none. */
    public String lastDetail(List<String> actions) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT detail FROM audit_event WHERE action IN ("
                    + "?, ".repeat(actions.size() - 1) + "?) ORDER BY id DESC")) {
                ps.setMaxRows(1);
                for (int i = 0; i < actions.size(); i++) {
                    ps.setString(i + 1, actions.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /**
     * Events from {@code from} (inclusive) to {@code to} (exclusive), oldest first, optionally of one actor and
     * of some actions only; at most {@code limit}.
     */
    public List<AuditEvent> list(Instant from, Instant to, String actor, List<String> actions, int limit) {
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            if (from != null) {
                sql.append(" AND at >= ?");
                args.add(from);
            }
            if (to != null) {
                sql.append(" AND at < ?");
                args.add(to);
            }
            if (actor != null && !actor.isBlank()) {
                sql.append(" AND actor = ?");
                args.add(actor.trim());
            }
            if (actions != null && !actions.isEmpty()) {
                sql.append(" AND action IN (").append("?, ".repeat(actions.size() - 1)).append("?)");
                args.addAll(actions);
            }
            sql.append(" ORDER BY id");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setMaxRows(limit);
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Instant t) {
                        SqlTime.setInstant(ps, i + 1, t);
                    } else {
                        ps.setString(i + 1, (String) a);
                    }
                }
                List<AuditEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long item = rs.getLong("item_id");
                        Long itemId = rs.wasNull() ? null : item;
                        out.add(new AuditEvent(rs.getLong("id"), SqlTime.getInstant(rs, "at"), rs.getString("actor"),
                                rs.getString("address"), rs.getString("action"), itemId,
                                rs.getString("accession_number"), rs.getString("before_json"),
                                rs.getString("after_json"), rs.getString("reason"), rs.getString("detail"),
                                bool(rs, "rules_contrast"), bool(rs, "after_contrast")));
                    }
                }
                return out;
            }
        });
    }

    private static Boolean bool(ResultSet rs, String col) throws SQLException {
        boolean b = rs.getBoolean(col);
        return rs.wasNull() ? null : b;
    }
}
