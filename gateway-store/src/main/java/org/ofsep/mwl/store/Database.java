package org.ofsep.mwl.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.ofsep.mwl.core.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's database: a HikariCP pool on H2 (embedded default) or PostgreSQL, migrated by Flyway on open.
 * {@link #inTransaction} is the one way the stores and services write: one transaction per call, retried when
 * a concurrent writer (another thread or another gateway instance) got there first. Inside
 * {@link #inOneTransaction} those calls (and {@link #read}) join the one transaction of the calling thread.
 */
public final class Database implements AutoCloseable, Transactions {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Unique violation, serialization failure, deadlock (standard and PostgreSQL). */
    private static final Set<String> RETRY_STATES = Set.of("23505", "40001", "40P01");
    /** H2: lock timeout, deadlock, concurrent update of the same row. */
    private static final Set<Integer> H2_RETRY_CODES = Set.of(50200, 40001, 90131);
    private static final int MAX_ATTEMPTS = 6;

    private final DatabaseSettings settings;
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    /** The connection of the calling thread's {@link #inOneTransaction}, which nested calls join. */
    private final ThreadLocal<Connection> joined = new ThreadLocal<>();

    private Database(DatabaseSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dialect = settings.dialect();
        this.dataSource = dataSource;
    }

    /** Opens the pool and brings the schema up to date. Fails when the database cannot be reached or migrated. */
    public static Database open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setPoolName("gateway-db");
        config.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .javaMigrations(new V2__PostgresPatternIndexes(), new V3__QueryShapedIndexes())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        log.info("Database open: {} ({} connections max)", settings.describe(), settings.maxPoolSize());
        return new Database(settings, ds);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** true when a connection can be borrowed and answers a trivial query (for /health). */
    public boolean ping() {
        if (dataSource.isClosed()) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            log.warn("Database ping failed: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it. A conflict with a concurrent writer (unique key,
     * serialization failure, deadlock, lock timeout) rolls back and runs the work again from the start, so the
     * work must read what it needs inside the transaction. Runtime exceptions thrown by the work (e.g. an
     * order rejection) roll back and propagate unchanged. Inside {@link #inOneTransaction} the work runs on that
     * transaction's connection and commits with it (a conflict then retries the whole enclosing work).
     */
    public <T> T inTransaction(SqlWork<T> work) {
        Connection c = joined.get();
        if (c != null) {
            return runJoined(c, work);
        }
        return withRetries(work);
    }

    /**
     * {@inheritDoc} Every {@link #inTransaction} and {@link #read} made by {@code work} on this thread uses the
     * same connection; one commit at the end. Nested calls join the outermost transaction.
     */
    @Override
    public <T> T inOneTransaction(Supplier<T> work) {
        if (joined.get() != null) {
            return work.get();
        }
        return withRetries(c -> {
            joined.set(c);
            try {
                return work.get();
            } catch (JoinedSqlFailure e) {
                throw e.getCause();
            } finally {
                joined.remove();
            }
        });
    }

    /** Runs read-only work on a connection in autocommit mode (or on the calling thread's joined transaction). */
    public <T> T read(SqlWork<T> work) {
        Connection c = joined.get();
        if (c != null) {
            return runJoined(c, work);
        }
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    /** One transaction with the conflict retries: commit on success, roll back on any failure. */
    private <T> T withRetries(SqlWork<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    restoreAutoCommit(c);
                }
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    throw new StoreException("database error: " + e.getMessage(), e);
                }
                last = e;
                log.debug("Transaction conflict (attempt {}), retrying: {}", attempt, e.getMessage());
                pause(attempt);
            }
        }
        throw new StoreException("database conflict persisted after " + MAX_ATTEMPTS + " attempts", last);
    }

    /**
     * Nested work: no commit of its own. Its SQL failure travels to the enclosing {@link #inOneTransaction} as an
     * unchecked exception (through code that knows nothing of JDBC), which decides on rollback and retry.
     */
    private static <T> T runJoined(Connection c, SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new JoinedSqlFailure(e);
        }
    }

    /** An SQL failure inside a joined transaction, on its way to the enclosing {@link #inOneTransaction}. */
    private static final class JoinedSqlFailure extends StoreException {
        JoinedSqlFailure(SQLException cause) {
            super("database error: " + cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null && RETRY_STATES.contains(s.getSQLState())) {
                    return true;
                }
                if (dialect == Dialect.H2 && H2_RETRY_CODES.contains(s.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << attempt) + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction", ie);
        }
    }

    /** Back to the pool's default; a broken connection must not hide the exception that broke it. */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool validates and evicts broken connections
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it and the transaction is lost anyway
        }
    }

    /**
     * Online backup of the embedded H2 database into a zip file (H2 {@code BACKUP TO}), consistent while orders
     * keep arriving. Restore: stop the gateway, unzip into the data directory, start. PostgreSQL is backed up
     * with its own tools (pg_dump, or base backups with WAL archiving), not by the gateway.
     *
     * @throws UnsupportedOperationException on PostgreSQL
     */
    public void backupTo(java.nio.file.Path zipFile) {
        if (dialect != Dialect.H2) {
            throw new UnsupportedOperationException("back up PostgreSQL with pg_dump or pg_basebackup");
        }
        java.nio.file.Path target = zipFile.toAbsolutePath();
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement("BACKUP TO ?")) {
            ps.setString(1, target.toString());
            ps.execute();
        } catch (SQLException e) {
            throw new StoreException("backup to " + target + " failed: " + e.getMessage(), e);
        }
        log.info("Database backed up to {}", target);
    }

    /** Closes the pool; with H2 this also closes the database file cleanly. */
    @Override
    public void close() {
        if (!dataSource.isClosed()) {
            if (dialect == Dialect.H2) {
                // DB_CLOSE_ON_EXIT=FALSE: close the file explicitly so it is compacted and unlocked.
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    // 90121: the connection closed under SHUTDOWN itself, which is the shutdown succeeding
                    if (e.getErrorCode() != 90121) {
                        log.warn("H2 shutdown: {}", e.getMessage());
                    }
                }
            }
            dataSource.close();
            log.info("Database closed");
        }
    }
}
