package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.ofsep.mwl.core.store.Lease;

/**
 * {@link Lease} as a row (name, owner, expiry) changed by single atomic statements: a conditional UPDATE takes
 * an expired or own lease; the first acquisition is an INSERT whose primary key makes exactly one concurrent
 * caller win. Works the same on H2 and PostgreSQL. Expiry is judged with the gateway's clock, so instances
 * sharing a database need synchronised clocks (NTP) to well within the ttl.
 */
public final class JdbcLease implements Lease {

    private final Database db;
    private final Clock clock;

    public JdbcLease(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A lease owner name for this process: host name and process id (unique among running instances). */
    public static String defaultOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("UPDATE job_lease SET owner = ?, expires_at = ? "
                    + "WHERE name = ? AND (owner = ? OR expires_at < ?)")) {
                ps.setString(1, owner);
                SqlTime.setInstant(ps, 2, expires);
                ps.setString(3, name);
                ps.setString(4, owner);
                SqlTime.setInstant(ps, 5, now);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            if (exists(c, name)) {
                return false; // held by someone else
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_lease (name, owner, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, owner);
                SqlTime.setInstant(ps, 3, expires);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false; // another instance inserted it first
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("lease " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM job_lease WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void release(String name, String owner) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_lease WHERE name = ? AND owner = ?")) {
                ps.setString(1, name);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> holder(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT owner FROM job_lease WHERE name = ? AND expires_at >= ?")) {
                ps.setString(1, name);
                SqlTime.setInstant(ps, 2, clock.instant());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }
}
