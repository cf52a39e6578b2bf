package org.ofsep.mwl.store.priors;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.Json;
import org.ofsep.mwl.store.SqlTime;

/**
 * The PACS prior lookups still to do (V9 {@code prior_lookup}), durable: {@link #add} writes one in the transaction
 * that stores the order (it joins the caller's {@link Database#inOneTransaction}), so an order acknowledged just
 * before a stop or a crash is looked up after the next start; {@link #done} deletes it once the re-decision is
 * written. Since V14 a row names the order's message in the message log ({@code hl7_message}, written in that same
 * transaction) instead of holding a copy of the order: a few dozen bytes instead of the order as JSON.
 *
 * <p>Several instances on one database: a row belongs to {@code claimed_by} until {@code due_at}. The instance that
 * took the order holds its row from the start and renews it ({@link #renew}) while it waits in memory or runs; any
 * instance may claim a row whose {@code due_at} has passed ({@link #claimDue}: one conditional UPDATE per row, the
 * lease pattern of {@code job_lease}, so exactly one claimant wins, on H2 and PostgreSQL alike). A crashed
 * instance's rows are taken by the others (or by itself after a restart) once its claims expire; a stopping
 * instance gives its waiting rows back at once ({@link #release}).
 */
public final class JdbcPriorLookupQueue {

    /**
     * One pending lookup as claimed.
     *
     * @param order      the order as acknowledged, or null when it could no longer be read (the row is deleted)
     * @param unreadable why the order could not be read (no patient data), or null
     */
    public record Pending(long id, OrderMessage order, int attempts, String unreadable) {
    }

    private final Database db;
    private final Clock clock;

    public JdbcPriorLookupQueue(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Writes the order's lookup, held by {@code owner} for {@code hold}; inside an enclosing transaction it commits
     * with it (the order, its message-log row and its AA). The row names the message ({@code messageId}, the
     * {@code hl7_message} row of the order's message, written in the same transaction): the claim reads the raw
     * message back and the gateway parses it again. Returns the row's id.
     *
     * @param messageId the message log row of the order's message; 0 when the order came without one (a tool, a
     *                  test): then the row holds the order itself as JSON, as rows written before V14 do
     */
    public long add(OrderMessage order, long messageId, String owner, Duration hold) {
        String json = null;
        if (messageId <= 0) {
            try {
                json = Json.MAPPER.writeValueAsString(order);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the order for its PACS lookup", e);
            }
        }
        String orderJson = json;
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            // a newer message of the order (an XO, a resent NW) supersedes the lookups still pending for it: the
            // older one would decide again from the older message's facts (the XO's NEW_DMT undone by the NW's
            // FOLLOW_UP). A worker holding one right now finds its row gone and changes nothing (superseded).
            try (PreparedStatement del = c.prepareStatement("DELETE FROM prior_lookup WHERE placer_order_number = ?")) {
                del.setString(1, order.placerOrderNumber().trim());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prior_lookup (placer_order_number, message_id,"
                    + " order_json, created_at, attempts, claimed_by, due_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                    new String[] {"id"})) {
                ps.setString(1, order.placerOrderNumber().trim());
                if (messageId > 0) {
                    ps.setLong(2, messageId);
                } else {
                    ps.setNull(2, java.sql.Types.BIGINT);
                }
                ps.setString(3, orderJson);
                SqlTime.setInstant(ps, 4, now);
                ps.setString(5, owner);
                SqlTime.setInstant(ps, 6, now.plus(hold));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key for prior_lookup");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    /**
     * A patient merge (ADT^A40) made {@code patientId} the survivor: each lookup still waiting for an order with a
     * SCHEDULED step of the survivor (its own, or one the merge moved to it) is replaced by a new one, due at once
     * for any instance, its attempts counted anew, naming the same message. The PACS is then asked under the
     * survivor's ID, which the stored steps hold ({@link JdbcRedecisions#lookupTarget}), and its answer decides with
     * the merged history; a worker holding the old row finds it gone and changes nothing (superseded), as after a
     * newer message of the order. Joins the caller's transaction (the merge's, with its message-log row). Returns
     * the lookups replaced.
     *
     * @param issuer the survivor's Issuer of Patient ID; null matches any
     */
    public int relookupAfterMerge(String patientId, String issuer) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, placer_order_number, message_id, order_json"
                    + " FROM prior_lookup WHERE placer_order_number IN (SELECT placer_order_number FROM worklist_item"
                    + " WHERE patient_id = ? AND status = 'SCHEDULED'" + (issuer == null ? ""
                    : " AND (issuer_of_patient_id IS NULL OR UPPER(issuer_of_patient_id) = UPPER(?))")
                    + ") ORDER BY id")) {
                ps.setString(1, patientId);
                if (issuer != null) {
                    ps.setString(2, issuer);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long messageId = rs.getLong(3);
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.wasNull() ? null : messageId,
                                rs.getString(4)});
                    }
                }
            }
            for (Object[] r : rows) {
                delete(c, (Long) r[0]);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO prior_lookup (placer_order_number,"
                        + " message_id, order_json, created_at, attempts, claimed_by, due_at) VALUES (?, ?, ?, ?, 0,"
                        + " NULL, ?)")) {
                    ps.setString(1, (String) r[1]);
                    if (r[2] != null) {
                        ps.setLong(2, (Long) r[2]);
                    } else {
                        ps.setNull(2, java.sql.Types.BIGINT);
                    }
                    ps.setString(3, (String) r[3]);
                    SqlTime.setInstant(ps, 4, now);
                    SqlTime.setInstant(ps, 5, now);
                    ps.executeUpdate();
                }
            }
            return rows.size();
        });
    }

    /** Whether the lookup's row is still there (a newer message of its order deletes it: superseded). */
    public static boolean exists(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM prior_lookup WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** What a claimed row holds: the order as JSON (rows before V14, or without a message), or its message. */
    private record Stored(String orderJson, long messageId, String raw) {
    }

    /**
     * Claims up to {@code max} rows whose {@code due_at} has passed (oldest first) for {@code owner} until now +
     * {@code hold}. A row another instance claims first is skipped. The order of a row that names its message is
     * read back from the message log's raw text by {@code loggedOrder} (the intake's parser: this module parses no
     * HL7). A row whose order can no longer be read (its message trimmed by the log's retention, a message that no
     * longer parses, a JSON copy written by another version) is deleted and returned without an order, with
     * {@link Pending#unreadable} saying why (no patient data), so that the caller counts and logs it: it would
     * otherwise be claimed forever.
     */
    public List<Pending> claimDue(String owner, int max, Duration hold, Function<String, OrderMessage> loggedOrder) {
        Objects.requireNonNull(loggedOrder);
        if (max <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<long[]> candidates = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, attempts FROM prior_lookup WHERE due_at <= ?"
                    + " ORDER BY due_at, id FETCH FIRST " + max + " ROWS ONLY")) {
                SqlTime.setInstant(ps, 1, now);
                List<long[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new long[] {rs.getLong(1), rs.getInt(2)});
                    }
                }
                return out;
            }
        });
        List<Pending> out = new ArrayList<>();
        for (long[] cand : candidates) {
            Stored stored = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE prior_lookup SET claimed_by = ?, due_at = ?"
                        + " WHERE id = ? AND due_at <= ?")) {
                    ps.setString(1, owner);
                    SqlTime.setInstant(ps, 2, now.plus(hold));
                    ps.setLong(3, cand[0]);
                    SqlTime.setInstant(ps, 4, now);
                    if (ps.executeUpdate() != 1) {
                        return null; // another instance claimed it first
                    }
                }
                // the message by its primary key (no foreign key: the log's trim may have deleted it)
                try (PreparedStatement ps = c.prepareStatement("SELECT p.order_json, p.message_id, m.raw"
                        + " FROM prior_lookup p LEFT JOIN hl7_message m ON m.id = p.message_id WHERE p.id = ?")) {
                    ps.setLong(1, cand[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new Stored(rs.getString(1), rs.getLong(2), rs.getString(3)) : null;
                    }
                }
            });
            if (stored == null) {
                continue;
            }
            String unreadable;
            OrderMessage order = null;
            if (stored.orderJson() != null) {
                try {
                    order = Json.MAPPER.readValue(stored.orderJson(), OrderMessage.class);
                    unreadable = null;
                } catch (JsonProcessingException e) {
                    unreadable = "its order (JSON, written before V14) cannot be read: " + e.getClass().getSimpleName();
                }
            } else if (stored.messageId() <= 0) {
                unreadable = "it names no message and holds no order";
            } else if (stored.raw() == null) {
                unreadable = "its HL7 message #" + stored.messageId() + " is no longer in the message log (trimmed by"
                        + " housekeeping.messageRetention)";
            } else {
                try {
                    order = loggedOrder.apply(stored.raw());
                    unreadable = order == null ? "its HL7 message #" + stored.messageId() + " is not an order" : null;
                } catch (RuntimeException e) {
                    // the exception's text may quote the message's values: its class only
                    unreadable = "its HL7 message #" + stored.messageId() + " no longer parses as an order ("
                            + e.getClass().getSimpleName() + ")";
                }
            }
            if (unreadable != null) {
                done(cand[0]); // it would be claimed forever
            }
            out.add(new Pending(cand[0], order, (int) cand[1], unreadable));
        }
        return out;
    }

    /** The lookup is done: its row goes. */
    public void done(long id) {
        db.inTransaction(c -> delete(c, id));
    }

    /** Deletes the row inside the caller's transaction (the re-decision's, {@link JdbcRedecisions}). */
    static int delete(java.sql.Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM prior_lookup WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    /** The PACS could not be asked: the row waits, held by nobody, until {@code at} for its next attempt. */
    public void retryAt(long id, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE prior_lookup SET attempts = attempts + 1,"
                    + " claimed_by = NULL, due_at = ? WHERE id = ?")) {
                SqlTime.setInstant(ps, 1, at);
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Gives rows back (this instance stops, or cannot take them now): due at once for any instance. */
    public int release(Collection<Long> ids, String owner) {
        if (ids.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE prior_lookup SET claimed_by = NULL, due_at = ?"
                    + " WHERE id = ? AND claimed_by = ?")) {
                for (long id : ids) {
                    SqlTime.setInstant(ps, 1, now);
                    ps.setLong(2, id);
                    ps.setString(3, owner);
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    /**
     * Gives back every row {@code owner} holds, due at once: {@code owner} is known to be gone (a previous run of
     * this very gateway, whose serve lock was free), so its claims need not lapse. Returns the rows given back.
     */
    public int releaseAll(String owner) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE prior_lookup SET claimed_by = NULL, due_at = ?"
                    + " WHERE claimed_by = ?")) {
                SqlTime.setInstant(ps, 1, now);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Extends every claim {@code owner} holds to now + {@code hold}. */
    public int renew(String owner, Duration hold) {
        Instant until = clock.instant().plus(hold);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE prior_lookup SET due_at = ? WHERE claimed_by = ?")) {
                SqlTime.setInstant(ps, 1, until);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Rows waiting, whoever holds them. */
    public int depth() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM prior_lookup");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
