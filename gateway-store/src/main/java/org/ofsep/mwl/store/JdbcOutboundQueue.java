package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.store.OutboundQueue;
import org.ofsep.mwl.core.store.StatusEvent;

/**
 * The durable queue of status messages to the RIS (table outbound_event). An event is PENDING until sent
 * (SENT) or given up (FAILED); events of one order leave strictly in order because only the oldest PENDING
 * event of each order is ever due. One sender at a time (hold the "outbound" {@link JdbcLease}).
 */
public final class JdbcOutboundQueue implements OutboundQueue {

    static final String PENDING = "PENDING";
    static final String SENT = "SENT";
    static final String FAILED = "FAILED";

    private final Database db;
    private final Clock clock;

    public JdbcOutboundQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Queues an event inside the caller's transaction (the MPPS service calls this with the state change, so
     * a status is queued exactly when the change commits).
     *
     * @return the event id
     */
    public static long enqueue(Connection c, StatusEvent e, Instant now) throws SQLException {
        String orderKey = e.placerOrderNumber() != null ? e.placerOrderNumber()
                : e.accessionNumber() != null ? "ACC:" + e.accessionNumber() : "SPS:" + e.spsId();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbound_event (order_key, placer_order_number, "
                + "filler_order_number, accession_number, sps_id, patient_id, status, occurred_at, state, attempts, "
                + "next_attempt_at, details_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", new String[] {"id"})) {
            ps.setString(1, orderKey);
            ps.setString(2, e.placerOrderNumber());
            ps.setString(3, e.fillerOrderNumber());
            ps.setString(4, e.accessionNumber());
            ps.setString(5, e.spsId());
            ps.setString(6, e.patientId());
            ps.setString(7, e.status());
            SqlTime.setInstant(ps, 8, e.occurredAt() == null ? now : e.occurredAt());
            ps.setString(9, PENDING);
            SqlTime.setInstant(ps, 10, now);
            ps.setString(11, Json.write(e.details()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Queues an event in its own transaction. */
    public long enqueue(StatusEvent e) {
        return db.inTransaction(c -> enqueue(c, e, clock.instant()));
    }

    @Override
    public List<StatusEvent> due(Instant now, int max) {
        return db.read(c -> {
            List<StatusEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT e.* FROM outbound_event e "
                    + "WHERE e.state = 'PENDING' AND e.next_attempt_at <= ? "
                    + "AND e.id = (SELECT MIN(p.id) FROM outbound_event p WHERE p.state = 'PENDING' "
                    + "AND p.order_key = e.order_key) ORDER BY e.id LIMIT ?")) {
                SqlTime.setInstant(ps, 1, now);
                ps.setInt(2, Math.max(1, max));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Every event still waiting, oldest first (health and admin view). */
    public List<StatusEvent> pending(int max) {
        return db.read(c -> {
            List<StatusEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM outbound_event WHERE state = 'PENDING' ORDER BY id LIMIT ?")) {
                ps.setInt(1, Math.max(1, max));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void markSent(long id) {
        finish(id, SENT, null);
    }

    @Override
    public void markRetry(long id, String error, Instant nextAttempt) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbound_event SET attempts = attempts + 1, "
                    + "last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'PENDING'")) {
                ps.setString(1, error);
                SqlTime.setInstant(ps, 2, nextAttempt);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void markFailed(long id, String error) {
        finish(id, FAILED, error);
    }

    private void finish(long id, String state, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbound_event SET state = ?, attempts = "
                    + "attempts + 1, last_error = COALESCE(?, last_error), finished_at = ? WHERE id = ?")) {
                ps.setString(1, state);
                ps.setString(2, error);
                SqlTime.setInstant(ps, 3, clock.instant());
                ps.setLong(4, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long depth() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM outbound_event WHERE state = 'PENDING'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Events given up (RIS answered AE/AR or too many attempts). */
    public long failedCount() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM outbound_event WHERE state = 'FAILED'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static StatusEvent read(ResultSet rs) throws SQLException {
        return new StatusEvent(rs.getLong("id"), rs.getString("placer_order_number"),
                rs.getString("filler_order_number"), rs.getString("accession_number"), rs.getString("sps_id"),
                rs.getString("patient_id"), rs.getString("status"), SqlTime.getInstant(rs, "occurred_at"),
                rs.getInt("attempts"), Json.details(rs.getString("details_json")));
    }
}
