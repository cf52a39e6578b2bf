package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;

/**
 * The HL7 message log in table hl7_message. Each call is its own transaction, or part of the calling thread's
 * {@link Database#inOneTransaction} (the inbound route writes a message and its order together).
 */
public final class JdbcMessageLog implements MessageLog {

    private static final String COLUMNS =
            "id, received_at, sending_application, control_id, message_type, raw, ack_code, ack, error";

    /** Rows read per step of the trim's walk. */
    private static final int TRIM_BATCH = 1000;

    private final Database db;
    private final Clock clock;

    public JdbcMessageLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public long received(String sendingApplication, String controlId, String messageType, String raw) {
        return insert(sendingApplication, controlId, messageType, raw, null, null, null);
    }

    /** One INSERT with the outcome: inside the order's transaction, the message costs no commit of its own. */
    @Override
    public long record(String sendingApplication, String controlId, String messageType, String raw, String ackCode,
                       String ack, String error) {
        return insert(sendingApplication, controlId, messageType, raw, ackCode, ack, error);
    }

    private long insert(String sendingApplication, String controlId, String messageType, String raw, String ackCode,
                        String ack, String error) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hl7_message (received_at, "
                    + "sending_application, control_id, message_type, raw, ack_code, ack, error, completed_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                Instant now = clock.instant();
                SqlTime.setInstant(ps, 1, now);
                ps.setString(2, senderKey(sendingApplication));
                ps.setString(3, clip(controlId, 200));
                ps.setString(4, clip(messageType, 40));
                ps.setString(5, raw == null ? "" : raw);
                ps.setString(6, ackCode);
                ps.setString(7, ack);
                ps.setString(8, error);
                SqlTime.setInstant(ps, 9, ackCode == null ? null : now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @Override
    public void completed(long id, String ackCode, String ack, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE hl7_message SET ack_code = ?, ack = ?, error = ?, "
                    + "completed_at = ? WHERE id = ?")) {
                ps.setString(1, ackCode);
                ps.setString(2, ack);
                ps.setString(3, error);
                SqlTime.setInstant(ps, 4, clock.instant());
                ps.setLong(5, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<LoggedMessage> findAnswered(String sendingApplication, String controlId) {
        if (controlId == null) {
            return Optional.empty();
        }
        return db.read(c -> first(list(c, "SELECT " + COLUMNS + " FROM hl7_message WHERE sending_application = ? "
                + "AND control_id = ? AND ack_code IS NOT NULL ORDER BY id DESC LIMIT 1",
                senderKey(sendingApplication), clip(controlId, 200))));
    }

    @Override
    public Optional<LoggedMessage> findAccepted(String sendingApplication, String controlId) {
        if (controlId == null) {
            return Optional.empty();
        }
        return db.read(c -> first(list(c, "SELECT " + COLUMNS + " FROM hl7_message WHERE sending_application = ? "
                + "AND control_id = ? AND ack_code = 'AA' ORDER BY id DESC LIMIT 1",
                senderKey(sendingApplication), clip(controlId, 200))));
    }

    @Override
    public Optional<LoggedMessage> get(long id) {
        return db.read(c -> first(list(c, "SELECT " + COLUMNS + " FROM hl7_message WHERE id = ?", id)));
    }

    @Override
    public List<LoggedMessage> failed(int limit) {
        return db.read(c -> list(c, "SELECT " + COLUMNS + " FROM hl7_message WHERE ack_code IN ('AE', 'AR') "
                + "ORDER BY id DESC LIMIT ?", Math.max(1, limit)));
    }

    /** The newest messages, any outcome (admin view). */
    public List<LoggedMessage> recent(int limit) {
        return db.read(c -> list(c, "SELECT " + COLUMNS + " FROM hl7_message ORDER BY id DESC LIMIT ?",
                Math.max(1, limit)));
    }

    @Override
    public int trim(Instant cutoff) {
        return db.inTransaction(c -> deleteReceivedBefore(c, cutoff));
    }

    /**
     * Deletes the messages received before {@code cutoff}. Ids grow with arrival, so those messages are the first
     * ids: found by walking the primary key from the oldest, without an index on the arrival time (one index less
     * for every order's commit to write). Stops at the first message received at or after the cutoff.
     */
    static int deleteReceivedBefore(Connection c, Instant cutoff) throws SQLException {
        long lastOld = -1;
        long after = -1;
        boolean more = true;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, received_at FROM hl7_message WHERE id > ? ORDER BY id LIMIT " + TRIM_BATCH)) {
            while (more) {
                ps.setLong(1, after);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong(1);
                        if (!SqlTime.getInstant(rs, "received_at").isBefore(cutoff)) {
                            more = false;
                            break;
                        }
                        lastOld = after;
                    }
                }
                more &= rows == TRIM_BATCH;
            }
        }
        if (lastOld < 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM hl7_message WHERE id <= ?")) {
            ps.setLong(1, lastOld);
            return ps.executeUpdate();
        }
    }

    /** Keys are clipped to their columns the same way on write and lookup (garbage input must still be kept). */
    private static String senderKey(String sendingApplication) {
        return sendingApplication == null ? "" : clip(sendingApplication, 400);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static Optional<LoggedMessage> first(List<LoggedMessage> l) {
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static List<LoggedMessage> list(Connection c, String sql, Object... params) throws SQLException {
        List<LoggedMessage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String app = rs.getString("sending_application");
                    out.add(new LoggedMessage(rs.getLong("id"), SqlTime.getInstant(rs, "received_at"),
                            app == null || app.isEmpty() ? null : app, rs.getString("control_id"),
                            rs.getString("message_type"), rs.getString("raw"), rs.getString("ack_code"),
                            rs.getString("ack"), rs.getString("error")));
                }
            }
        }
        return out;
    }
}
