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
    /** The embedded H2 file's maintenance ({@link H2Compaction}); null for PostgreSQL and H2 over TCP. */
    private final H2Compaction compaction;
    /**
     * The embedded H2 file's sync to the disk, run by its maintenance ({@link H2Sync}); null for PostgreSQL (whose
     * commit is durable by itself) and H2 over TCP (the gateway serving the file syncs what its clients write).
     */
    private final H2Sync sync;

    private Database(DatabaseSettings settings, HikariDataSource dataSource, H2Compaction compaction, H2Sync sync) {
        this.settings = settings;
        this.dialect = settings.dialect();
        this.dataSource = dataSource;
        this.compaction = compaction;
        this.sync = sync;
        if (compaction != null) {
            compaction.onFailure(this::maintenanceFailed);
        }
        this.storeFile = sync == null ? null : H2File.path(dataSource).orElse(null);
        this.storeFileKey = storeFile == null ? null : fileKey(storeFile);
        if (storeFile != null && storeFileKey != null) { // a file the gateway can stat (not an H2 file system's name)
            fileWatch = RECOVERY.scheduleWithFixedDelay(this::checkStoreFile, FILE_CHECK_MS, FILE_CHECK_MS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** How often the embedded file's identity is checked: what is acknowledged in between is lost if it went. */
    static final long FILE_CHECK_MS = 500;

    /** The embedded H2 file and its identity when opened (inode): a file deleted or replaced under the gateway. */
    private final java.nio.file.Path storeFile;
    private final Object storeFileKey;
    private volatile java.util.concurrent.ScheduledFuture<?> fileWatch;
    /** Why the store's file is not the one the gateway writes any more; set for good (a restart is needed). */
    private volatile String storeFileGone;

    /**
     * Whether the store's file is gone: known absent, or another file (inode) in its place. A file whose attributes
     * cannot be read for a moment (a permission changed, a network mount's hiccup) is not: every order was refused
     * until a restart after a chmod of the data directory's parent.
     */
    static boolean gone(Object keyAtOpen, Object keyNow, boolean knownAbsent) {
        if (keyNow == null) {
            return knownAbsent;
        }
        return keyAtOpen != null && !keyNow.equals(keyAtOpen);
    }

    private static Object fileKey(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * The embedded file deleted (a data directory removed by mistake) or replaced under the running gateway: H2
     * keeps writing to the open, unlinked file, every AA would be lost at the next start, and nothing said so.
     * From then on writes are refused (orders get AR), /health says DOWN with the reason, and an ERROR says what to
     * do; only a restart clears it.
     */
    private void checkStoreFile() {
        if (storeFileGone != null || dataSource.isClosed()) {
            return;
        }
        Object key = fileKey(storeFile);
        if (!gone(storeFileKey, key, key == null && java.nio.file.Files.notExists(storeFile))) {
            return;
        }
        String why = "the store's file " + storeFile + (key == null ? " was deleted" : " was replaced")
                + " while the gateway ran";
        storeFileGone = why;
        writeFailingSince = java.time.Instant.now();
        writeFailure = why;
        log.error("Store writes refused: {}. What the gateway writes now would be lost: orders get AR. Stop the "
                + "gateway and restore the data directory from a backup (README, Backups), or start on an empty "
                + "one; the RIS sends the refused orders again", why);
    }

    /**
     * The file's maintenance failed: when the store itself cannot be written or was closed (H2 closes it after a
     * failed write), the recovery starts as for an order's failed write; a probe says which.
     */
    private void maintenanceFailed(Throwable e) {
        if (dataSource.isClosed() || recovering.get()) {
            return;
        }
        // on the recovery's own thread: a probe that reopens the database never runs beside a recovery doing so
        RECOVERY.execute(() -> {
            if (dataSource.isClosed() || recovering.get()) {
                return;
            }
            String why = probeWrite();
            if (why != null) {
                storageFailed(why);
            }
        });
    }

    /** Opens the pool and brings the schema up to date. Fails when the database cannot be reached or migrated. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, true);
    }

    /** {@link #open}, with or without the embedded H2 file's maintenance ({@link H2Compaction}; tests). */
    static Database open(DatabaseSettings settings, boolean h2Maintenance) {
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
        // a connection the pool cannot give within 5 s will not come (the store down, a full disk): the caller is
        // told then (an order's AR, a C-FIND's C000) instead of after Hikari's 30 s, past the RIS's ACK timeout
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(config);
        H2Compaction compaction;
        H2Sync sync;
        try {
            Flyway flyway = migrations(ds).load();
            java.util.List<String> skipped = skippedMigrations(flyway.info());
            if (!skipped.isEmpty()) {
                throw new IllegalStateException("The store " + settings.describe() + " is past migration(s) "
                        + String.join(", ", skipped) + " without having applied them (a development build migrated"
                        + " it): the gateway applies its migrations in order only and cannot bring this store up"
                        + " to date; export what you need and start on a new store");
            }
            flyway.migrate();
            H2File file = settings.embeddedH2() ? H2File.of(ds).orElse(null) : null;
            sync = file == null ? null : new H2Sync(file);
            compaction = h2Maintenance && file != null ? H2Compaction.start(file, sync) : null;
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        log.info("Database open: {} ({} connections max)", settings.describe(), settings.maxPoolSize());
        return new Database(settings, ds, compaction, sync);
    }

    /** The gateway's schema migrations (SQL scripts and Java migrations) on a data source. */
    static org.flywaydb.core.api.configuration.FluentConfiguration migrations(DataSource ds) {
        return migrations().dataSource(ds);
    }

    /**
     * The gateway's schema migrations, strictly in order (no {@code outOfOrder}): a store migrates from the
     * version it is at to the newest, one version after the other. The first release shipped V1 to V4; this
     * release adds V5, V7, V8, V9, V11, V12, V13, V14, V15, V16, V17 and V18. There is no V6 and no V10: both numbers were
     * reserved during this release's development and never used (V10 for moving the review state into
     * worklist_item, not done: see docs/architecture.md); Flyway only needs the versions to increase, a gap is
     * fine, and a new migration takes a number above the highest one. A store that a development build migrated
     * past a version it did not have yet (a version "ignored" by Flyway) is refused by {@link #open} and reported
     * by {@code gateway doctor} ({@link #inspect}).
     */
    static org.flywaydb.core.api.configuration.FluentConfiguration migrations() {
        return Flyway.configure()
                .locations("classpath:db/migration")
                .javaMigrations(new V2__PostgresPatternIndexes(), new V3__QueryShapedIndexes(),
                        new V5__DecisionColumns(), new V12__OneProtocolCodeRowPerItem(),
                        new V13__IndexesQueriesUse(), new V15__ConsoleQueryIndexCovers());
    }

    /** Migrations older than the store's version that were never applied to it ("ignored" by Flyway). */
    private static java.util.List<String> skippedMigrations(org.flywaydb.core.api.MigrationInfoService info) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (org.flywaydb.core.api.MigrationInfo m : info.all()) {
            if (m.getState() == org.flywaydb.core.api.MigrationState.IGNORED) {
                out.add(m.getVersion() + " (" + m.getDescription() + ")");
            }
        }
        return out;
    }

    /**
     * The schema of a store as this gateway sees it, without changing it (for {@code gateway doctor}).
     *
     * @param current  the applied version, null for an empty store
     * @param latest   the newest migration this gateway has
     * @param pending  migrations the next start applies
     * @param problems failed migrations, applied ones this gateway does not know (a newer gateway migrated it)
     */
    public record SchemaState(String current, String latest, int pending, java.util.List<String> problems,
                              java.time.Instant databaseNow, java.time.Instant newestMessage) {
    }

    /** Connects once (no pool, no migration) and reads the migration history. */
    public static SchemaState inspect(DatabaseSettings settings) {
        org.flywaydb.core.api.MigrationInfoService info = migrations()
                .dataSource(settings.url(), settings.user(), settings.password())
                .load()
                .info();
        java.util.List<String> problems = new java.util.ArrayList<>();
        String latest = null;
        for (org.flywaydb.core.api.MigrationInfo m : info.all()) {
            org.flywaydb.core.api.MigrationState state = m.getState();
            if (state.isFailed()) {
                problems.add("migration " + m.getVersion() + " (" + m.getDescription() + ") failed");
            } else if (state == org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS) {
                problems.add("migration " + m.getVersion() + " (" + m.getDescription() + ") was applied by a newer "
                        + "gateway: this one does not know it");
            } else if (state == org.flywaydb.core.api.MigrationState.MISSING_SUCCESS) {
                problems.add("migration " + m.getVersion() + " is applied but missing from this gateway");
            } else if (state == org.flywaydb.core.api.MigrationState.IGNORED) {
                problems.add("migration " + m.getVersion() + " (" + m.getDescription() + ") is not applied but the"
                        + " store is already past it (migrated by a development build): the gateway refuses to start"
                        + " on it; export what you need and start on a new store");
            }
            if (m.getVersion() != null && state != org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS) {
                latest = m.getVersion().getVersion();
            }
        }
        org.flywaydb.core.api.MigrationInfo current = info.current();
        // the clocks: the database's own (PostgreSQL may run elsewhere), the newest message the store received
        java.time.Instant databaseNow = null;
        java.time.Instant newestMessage = null;
        try (Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                if (rs.next()) {
                    databaseNow = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                }
            }
            if (current != null) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT MAX(received_at) FROM hl7_message")) {
                    if (rs.next() && rs.getObject(1) != null) {
                        newestMessage = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("cannot read the clocks: " + e.getMessage());
        }
        return new SchemaState(current == null || current.getVersion() == null ? null : current.getVersion().getVersion(),
                latest, info.pending().length, problems, databaseNow, newestMessage);
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
            storageFailed(e);
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    // ---- the store's health: writes failing (disk full, read-only file system, database closed) ----------------

    /** H2: I/O errors, database closed (H2 closes itself after a failed write), read-only, no disk space. */
    private static final Set<Integer> H2_STORAGE_CODES = Set.of(90028, 90031, 90098, 90121, 90097, 90100, 90062,
            90030, 90020);
    private volatile String writeFailure;
    private volatile java.time.Instant writeFailingSince;
    private final java.util.concurrent.atomic.AtomicBoolean recovering = new java.util.concurrent.atomic.AtomicBoolean();
    private static final java.util.concurrent.ScheduledExecutorService RECOVERY =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "store-recovery");
                t.setDaemon(true);
                return t;
            });

    /**
     * Why writes to the store fail now (in plain words), or null when the last write succeeded. While it is set,
     * the gateway retries by itself every 2 seconds (fresh connections, which reopens an embedded H2 database that
     * closed itself) and clears it on the first write that succeeds. Else, for the embedded H2 file, why its last
     * sync to the disk failed ({@link H2Sync#failure}), until a sync succeeds.
     */
    public String writeFailure() {
        String failure = writeFailure;
        return failure != null || sync == null ? failure : sync.failure();
    }

    /** Since when writes fail, or null. */
    public java.time.Instant writeFailingSince() {
        java.time.Instant since = writeFailingSince;
        return since != null || sync == null ? since : sync.failingSince();
    }

    private void writeSucceeded() {
        if (writeFailure != null && storeFileGone == null) {
            log.info("Store writable again (writes failed since {}): orders are stored and acknowledged again",
                    writeFailingSince);
            writeFailure = null;
            writeFailingSince = null;
        }
    }

    /** Records a failure of the store itself (not of the work), and starts the automatic recovery. */
    void storageFailed(SQLException e) {
        String why = storageFailure(e);
        if (why == null) {
            return;
        }
        storageFailed(why);
    }

    private void storageFailed(String why) {
        if (dataSource.isClosed()) {
            return;
        }
        if (writeFailure == null) {
            writeFailingSince = java.time.Instant.now();
            log.error("Store writes fail: {}. Orders get AR and are not stored until it recovers; the gateway retries "
                    + "by itself and /health says DOWN meanwhile", why);
        }
        writeFailure = why;
        if (recovering.compareAndSet(false, true)) {
            RECOVERY.schedule(this::recover, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private void recover() {
        try {
            if (dataSource.isClosed()) {
                return;
            }
            // connections of a database that closed itself stay broken: new ones reopen it
            dataSource.getHikariPoolMXBean().softEvictConnections();
            String still = probeWrite();
            if (still == null) {
                writeSucceeded();
                recovering.set(false);
                return;
            }
            writeFailure = still;
            log.debug("Store still not writable: {}", still);
        } catch (RuntimeException e) {
            log.debug("Store recovery attempt failed: {}", e.toString());
        }
        RECOVERY.schedule(this::recover, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Writes and commits one small row (a lease no job uses) and says why that failed, or null when it succeeded.
     * H2 writes each commit to its file (WRITE_DELAY=0), so a full disk or a read-only file shows here.
     */
    public String probeWrite() {
        if (storeFileGone != null) {
            return storeFileGone;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
                int n;
                try (java.sql.PreparedStatement ps = c.prepareStatement(
                        "UPDATE job_lease SET expires_at = ? WHERE name = ?")) {
                    ps.setTimestamp(1, now);
                    ps.setString(2, PROBE);
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (java.sql.PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO job_lease (name, owner, expires_at) VALUES (?, ?, ?)")) {
                        ps.setString(1, PROBE);
                        ps.setString(2, "write probe");
                        ps.setTimestamp(3, now);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                if (sync != null) {
                    sync.syncIfWritten();
                }
                return null;
            } catch (StoreException e) {
                return e.getMessage(); // committed, but the file cannot be synced to the disk
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            if (isRetryable(e)) {
                return null; // another instance probed at the same moment: the store takes writes
            }
            String why = storageFailure(e);
            return why != null ? why : "database error: " + e.getMessage();
        }
    }

    /** How long a caller waits for a connection of the pool ({@code connectionTimeout}; Hikari's own is 30 s). */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    /** The lease row the write probe updates; no job takes a lease of this name. */
    static final String PROBE = "store-write-probe";

    /** Plain words for a failure of the store itself, or null for another failure (a bad value, a conflict). */
    String storageFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("no space left") || m.contains("disk full") || m.contains("not enough space")) {
                return "the disk is full";
            }
            if (m.contains("read-only file system") || m.contains("read only file system")
                    || m.contains("permission denied") || m.contains("access denied")) {
                return "the data directory is read-only or not writable";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                if (dialect == Dialect.H2 && H2_STORAGE_CODES.contains(s.getErrorCode())) {
                    return s.getErrorCode() == 90097 ? "the database is read-only"
                            : "the database cannot write its file (" + s.getErrorCode() + ")";
                }
                if (state.equals("53100")) {
                    return "the disk is full";
                }
                if (state.equals("25006")) {
                    return "the database is read-only";
                }
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return "the database is unavailable (" + state + ")";
                }
                if (s instanceof java.sql.SQLTransientConnectionException) {
                    return "no database connection available";
                }
            }
        }
        return null;
    }

    /** One transaction with the conflict retries: commit on success, roll back on any failure. */
    private <T> T withRetries(SqlWork<T> work) {
        String gone = storeFileGone;
        if (gone != null) {
            throw new StoreException("database error: " + gone, new SQLException(gone, "58030"));
        }
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    writeSucceeded();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    restoreAutoCommit(c);
                }
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    storageFailed(e);
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

    /** The embedded H2 file's size and live share ({@link H2Compaction}); empty for PostgreSQL and H2 over TCP. */
    public java.util.Optional<H2FileStats> h2File() {
        return compaction == null || dataSource.isClosed() ? java.util.Optional.empty()
                : java.util.Optional.ofNullable(compaction.stats());
    }

    /** Closes the pool; with H2 this also closes the database file cleanly. */
    @Override
    public void close() {
        if (fileWatch != null) {
            fileWatch.cancel(false);
        }
        if (!dataSource.isClosed()) {
            if (compaction != null) {
                compaction.close();
            }
            if (settings.embeddedH2()) {
                // DB_CLOSE_ON_EXIT=FALSE: close the file explicitly so that it is complete and unlocked (not compacted:
                // DatabaseSettings.H2_NO_COMPACTION_AT_CLOSE). SHUTDOWN runs on a connection of its own, opened
                // while the pool still holds the database open and used once the pool is closed: run on a pooled
                // connection, the pool then cleared the warnings of a connection SHUTDOWN had closed, and H2 wrote
                // that exception to gateway.trace.db at every stop.
                Connection own = null;
                try {
                    own = java.sql.DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                } catch (SQLException e) {
                    log.warn("H2 shutdown: {}", e.getMessage());
                }
                dataSource.close(); // the pool first: SHUTDOWN then closes a database no pooled connection holds
                if (own != null) {
                    try (Connection c = own; Statement s = c.createStatement()) {
                        s.execute("SHUTDOWN");
                    } catch (SQLException e) {
                        // 90121: the connection closed under SHUTDOWN itself, which is the shutdown succeeding
                        if (e.getErrorCode() != 90121) {
                            log.warn("H2 shutdown: {}", e.getMessage());
                        }
                    }
                }
            }
            // H2 over TCP (a command beside the running gateway, through its StoreServer) and PostgreSQL only close
            // their own connections: a SHUTDOWN over TCP closed the gateway's database under it, every connection of
            // the gateway's pool with it (its transactions rolled back), until the pool opened the file again
            if (!dataSource.isClosed()) {
                dataSource.close();
            }
            log.info("Database closed");
        }
    }
}
