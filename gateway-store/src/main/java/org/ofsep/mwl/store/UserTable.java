package org.ofsep.mwl.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.core.review.User;

/**
 * The people who may log in (table gateway_user). Only password hashes reach this class. Every change is
 * written to the audit trail in the same transaction.
 */
public final class UserTable {
    private final Database db;
    private final Clock clock;

    public UserTable(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<User> find(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role, password_hash, enabled, failed_logins, "
                    + "locked_until FROM gateway_user WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    public List<User> list() {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role, password_hash, enabled, failed_logins, "
                    + "locked_until FROM gateway_user ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    private static User read(ResultSet rs) throws SQLException {
        return new User(rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("password_hash"),
                rs.getBoolean("enabled"), rs.getInt("failed_logins"), SqlTime.getInstant(rs, "locked_until"));
    }

    /**
     * Adds a user, or when the name exists, sets its role and password and enables it again.
     *
     * @return true when the user is new
     */
    public boolean add(String name, Role role, String passwordHash, String actor) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Optional<User> was = locked(c, name);
            boolean exists = was.isPresent();
            if (!exists) {
                // "Dr.Martin" beside "dr.martin": two accounts, maybe of two roles, that nobody tells apart in the
                // audit trail or on the board
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM gateway_user WHERE LOWER(name) = ?")) {
                    ps.setString(1, name.toLowerCase(java.util.Locale.ROOT));
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw new IllegalArgumentException("a user named '" + rs.getString(1) + "' exists: names "
                                    + "that differ only in case would be two accounts nobody tells apart; use '"
                                    + rs.getString(1) + "'");
                        }
                    }
                }
            }
            java.util.Map<String, Object> before = was.map(u -> state(u, now)).orElse(null);
            String sql = exists
                    ? "UPDATE gateway_user SET role = ?, password_hash = ?, enabled = TRUE, failed_logins = 0, "
                            + "locked_until = NULL, updated_at = ? WHERE name = ?"
                    : "INSERT INTO gateway_user (role, password_hash, enabled, failed_logins, updated_at, name, "
                            + "created_at) VALUES (?, ?, TRUE, 0, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, role.name());
                ps.setString(2, passwordHash);
                SqlTime.setInstant(ps, 3, now);
                ps.setString(4, name);
                if (!exists) {
                    SqlTime.setInstant(ps, 5, now);
                }
                ps.executeUpdate();
            }
            // the account as it was and as it is, so that a promotion, an unlock or a re-enabling shows
            java.util.Map<String, Object> after = new java.util.LinkedHashMap<>();
            after.put("role", role.label());
            after.put("enabled", true);
            after.put("password", "new");
            AuditTable.insert(c, new AuditEvent(0, now, actor, null, exists ? "USER_CHANGED" : "USER_ADDED", null,
                    null, before == null ? null : Json.write(before), Json.write(after), null,
                    "user " + name + ", role " + role.label() + (exists ? ", new password, enabled" : ""), null, null));
            return !exists;
        });
    }

    /** The account, its row locked until the transaction ends, or empty. */
    private static Optional<User> locked(java.sql.Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, role, password_hash, enabled, failed_logins, "
                + "locked_until FROM gateway_user WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** An account's state for the audit trail (never its password hash). */
    private static java.util.Map<String, Object> state(User u, Instant now) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("role", u.role().label());
        m.put("enabled", u.enabled());
        m.put("failedLogins", u.failedLogins());
        if (u.lockedUntil() != null && u.lockedUntil().isAfter(now)) {
            m.put("lockedUntil", u.lockedUntil().toString());
        }
        return m;
    }

    /** @return false when there is no such user */
    public boolean disable(String name, String actor) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Optional<User> was = locked(c, name);
            if (was.isEmpty()) {
                return false;
            }
            if (!was.get().enabled()) {
                return true; // disabled already: nothing changes, nothing to audit
            }
            java.util.Map<String, Object> before = state(was.get(), now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gateway_user SET enabled = FALSE, updated_at = ? WHERE name = ?")) {
                SqlTime.setInstant(ps, 1, now);
                ps.setString(2, name);
                ps.executeUpdate(); // the row is locked and there: it is updated
            }
            java.util.Map<String, Object> after = new java.util.LinkedHashMap<>(before);
            after.put("enabled", false);
            AuditTable.insert(c, new AuditEvent(0, now, actor, null, "USER_DISABLED", null, null,
                    Json.write(before), Json.write(after), null, "user " + name, null, null));
            return true;
        });
    }

    /**
     * A failed login for an existing user: one more failure, and after {@code maxFailures} in a row the account
     * is locked for {@code lockFor}. Audited.
     *
     * @return the instant the account is locked until, or null when not locked
     */
    public Instant loginFailed(String name, String address, int maxFailures, Duration lockFor, String why) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            int failures = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT failed_logins FROM gateway_user WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        failures = rs.getInt(1);
                    }
                }
            }
            failures++;
            Instant lockedUntil = failures >= maxFailures ? now.plus(lockFor) : null;
            try (PreparedStatement ps = c.prepareStatement("UPDATE gateway_user SET failed_logins = ?, "
                    + "locked_until = COALESCE(?, locked_until), updated_at = ? WHERE name = ?")) {
                ps.setInt(1, lockedUntil != null ? 0 : failures);
                SqlTime.setInstant(ps, 2, lockedUntil);
                SqlTime.setInstant(ps, 3, now);
                ps.setString(4, name);
                ps.executeUpdate();
            }
            AuditTable.insert(c, AuditEvent.of(now, name, address, "LOGIN_FAILED",
                    why + (lockedUntil != null ? "; locked until " + lockedUntil + " after " + failures
                            + " failures" : "")));
            return lockedUntil;
        });
    }

    /** A successful login: failures reset, audited. */
    public void loginSucceeded(String name, String address) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE gateway_user SET failed_logins = 0, "
                    + "locked_until = NULL, updated_at = ? WHERE name = ?")) {
                SqlTime.setInstant(ps, 1, now);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            AuditTable.insert(c, AuditEvent.of(now, name, address, "LOGIN", null));
            return null;
        });
    }
}
