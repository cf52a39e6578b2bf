package org.ofsep.mwl.store;

import org.ofsep.mwl.core.domain.PersonNames;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;

/**
 * The worklist read side: each {@link WorklistQuery} key becomes an indexed SQL condition, rows are streamed to
 * the sink one at a time from a forward-only cursor, never collected first.
 */
public final class JdbcWorklistStore implements WorklistStore {

    /** Rows fetched per round trip; PostgreSQL only uses a cursor when autocommit is off. */
    static final int FETCH_SIZE = 100;

    private final Database db;
    private final Set<SpsStatus> defaultStatuses;
    /** Steps already read by {@link #query}, reused while their row version is unchanged. */
    private final ItemCache items;
    /** Steps {@link #query} keeps decoded at most (a whole day of a large site is a few thousand). */
    public static final int DEFAULT_CACHED_ITEMS = 20_000;
    /**
     * Queries reading the database at once, in arrival order ({@link ReadTurn}): the processors, at least 2.
     * A burst of console queries (every console of a site refreshing on the same second) cannot take every core
     * from the intake nor pile up on the locks of H2's page cache; at the benchmark's morning peak the query
     * p99 is the same with 2, 4 or 20 turns. A turn covers reading one batch of rows, never the writing of
     * responses to a console, so a slow or stalled console cannot hold one.
     */
    public static final int DEFAULT_READ_TURNS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final java.util.concurrent.Semaphore readTurns;

    /**
     * @param includeStarted the default statuses (when a query names none) include STARTED as well as SCHEDULED
     *                       (for consoles that re-query a step already begun)
     */
    public JdbcWorklistStore(Database db, boolean includeStarted) {
        this(db, includeStarted, DEFAULT_CACHED_ITEMS);
    }

    /** @param cachedItems steps kept decoded for the next queries (0: none, every row decoded each time) */
    public JdbcWorklistStore(Database db, boolean includeStarted, int cachedItems) {
        this(db, includeStarted, cachedItems, DEFAULT_READ_TURNS);
    }

    /** @param readTurns queries that read the database at once (the others wait for a turn, in order) */
    public JdbcWorklistStore(Database db, boolean includeStarted, int cachedItems, int readTurns) {
        if (readTurns < 1) {
            throw new IllegalArgumentException("readTurns must be at least 1");
        }
        this.readTurns = new java.util.concurrent.Semaphore(readTurns, true);
        this.db = db;
        this.items = new ItemCache(cachedItems);
        this.defaultStatuses = includeStarted ? EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED)
                : EnumSet.of(SpsStatus.SCHEDULED);
    }

    public JdbcWorklistStore(Database db) {
        this(db, false);
    }

    @Override
    public int query(WorklistQuery query, Predicate<WorklistItem> sink) {
        return query(query, sink, () -> false);
    }

    /** Checks the cancellation of running queries (one thread for the whole store). */
    private static final java.util.concurrent.ScheduledExecutorService WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "worklist-query-watch");
                t.setDaemon(true);
                return t;
            });
    private volatile int queryTimeoutSeconds = 10;

    /**
     * The longest one worklist query may run (the statement is cancelled after it, and the C-FIND fails with
     * C000 "Worklist query failed"); 0 = no limit. Default 10 s.
     */
    public JdbcWorklistStore queryTimeout(java.time.Duration timeout) {
        this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (timeout.toMillis() + 999) / 1000));
        return this;
    }

    /** The query timeout in seconds (0: none), as {@link #queryTimeout(java.time.Duration)} set it. */
    public int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    /**
     * The query's statements are cancelled (Statement.cancel, from a watch thread that looks every 200 ms) as soon
     * as {@code cancelled} turns true, e.g. when the association that asked ended, or once the query has run for
     * the query timeout (then it fails with a {@link StoreException}): H2 and PostgreSQL both stop between rows.
     * The timeout is kept by the watch, not by {@code Statement.setQueryTimeout}: H2 implements that with a
     * {@code SET QUERY_TIMEOUT} command, and every SET command marks the whole database's schema as changed, so
     * each C-FIND made every prepared statement of every connection (the intake's too) parse and plan again.
     */
    @Override
    public int query(WorklistQuery query, Predicate<WorklistItem> sink, java.util.function.BooleanSupplier cancelled) {
        Sql sql = toSql(query);
        // the read turn is taken before a connection is borrowed: the queries that wait for a turn (at a morning
        // peak, most of a beat's) hold no connection meanwhile, so the pool never runs dry under the intake
        ReadTurn turn = new ReadTurn(readTurns);
        turn.take();
        Watched watched = new Watched(queryTimeoutSeconds);
        try (Connection c = db.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql.text, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH_SIZE);
                sql.bind(ps);
                int handed = 0;
                watched.first(ps);
                java.util.concurrent.ScheduledFuture<?> watch = WATCH.scheduleWithFixedDelay(
                        () -> watched.check(cancelled), 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                // the matching steps come in batches of up to FETCH_SIZE as (id, row_version); a step the item cache
                // holds at that version is not read again (most rows of a console's station-day), the others are
                // read whole in one statement per batch with their protocol codes; then the batch is handed to the
                // sink one at a time; a sink that stops, or a cancel, ends the query. The database is read with a
                // read turn (at most readTurns queries at once), released while the batch is handed to the sink:
                // the sink writes to the console, which may be slow
                WorklistItem[] batch = new WorklistItem[FETCH_SIZE];
                List<Long> missIds = new ArrayList<>(FETCH_SIZE);
                int[] missAt = new int[FETCH_SIZE];
                try (ResultSet rs = ps.executeQuery()) {
                    boolean more = true;
                    reading:
                    while (more) {
                        if (watched.timedOut()) { // its time ran out between two statements
                            throw new SQLException("cancelled by the query timeout");
                        }
                        turn.take();
                        int n = 0;
                        missIds.clear();
                        while (n < FETCH_SIZE && (more = rs.next())) {
                            long id = rs.getLong(1);
                            WorklistItem known = items.get(id, rs.getLong(2));
                            if (known == null) {
                                missAt[missIds.size()] = n;
                                missIds.add(id);
                            }
                            batch[n++] = known;
                        }
                        if (!missIds.isEmpty()) {
                            betweenStatements.run();
                            java.util.Map<Long, WorklistItem> read = readWhole(c, sql, missIds, watched);
                            for (int k = 0; k < missIds.size(); k++) {
                                // null: changed meanwhile so that it no longer matches, or deleted: left out
                                batch[missAt[k]] = read.get(missIds.get(k));
                            }
                        }
                        turn.release();
                        for (int k = 0; k < n; k++) {
                            if (batch[k] == null) {
                                continue;
                            }
                            if (cancelled.getAsBoolean()) {
                                break reading;
                            }
                            handed++;
                            if (!sink.test(batch[k])) {
                                break reading;
                            }
                        }
                    }
                } catch (SQLException e) {
                    if (watched.timedOut()) {
                        throw new StoreException("worklist query failed: it ran longer than the query timeout ("
                                + queryTimeoutSeconds + " s)", e);
                    }
                    if (cancelled.getAsBoolean()) {
                        return handed; // cancelled on purpose: the client is gone
                    }
                    throw e;
                } finally {
                    turn.release();
                    watched.end();
                    watch.cancel(false);
                }
                return handed;
            } finally {
                if (watched.cancelIssued()) {
                    // H2 keeps a cancel that reached a statement too late to stop it for the session's next statement,
                    // whoever runs it (an order's transaction); setting the session's timeout clears it. Only after a
                    // cancel: it is a SET command, which makes H2 plan every prepared statement again
                    try (Statement clear = c.createStatement()) {
                        clear.setQueryTimeout(0);
                    } catch (SQLException e) {
                        // H2 threw the pending cancel instead, which clears it too
                    }
                }
                // end the read-only transaction with a commit, not a rollback: H2 (2.3) ends a rolled-back
                // transaction as one with changes and, with WRITE_DELAY=0, stores the MVStore under its store lock,
                // so every C-FIND queued behind the intake's chunk writes (45 ms per query at the morning peak).
                // A commit of a transaction without changes takes no lock. Nothing was written: same result.
                c.commit();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // a store that closed itself (a full disk) is reopened by the store's recovery, which a failed query
            // starts too: with no order arriving (a night, a weekend) the consoles got C000 after space was back
            db.storageFailed(e);
            throw new StoreException("worklist query failed: " + e.getMessage(), e);
        } finally {
            turn.release();
        }
    }

    /**
     * The whole rows of these steps, still under the query's conditions (a step changed since the first statement
     * is read as it is now, or left out when it no longer matches), with their protocol codes; each goes into the
     * item cache at the version it was read at.
     */
    private java.util.Map<Long, WorklistItem> readWhole(Connection c, Sql sql, List<Long> ids, Watched watched)
            throws SQLException {
        List<ItemTable.Row> rows = new ArrayList<>(ids.size());
        List<Long> versions = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement(sql.rowsText(ids.size()))) {
            sql.bindRows(ps, ids);
            watched.running(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(rs.getLong(ItemTable.ROW_VERSION));
                    rows.add(ItemTable.read(rs));
                }
            } finally {
                watched.running(null);
            }
        }
        java.util.Map<Long, WorklistItem> out = new java.util.HashMap<>(rows.size() * 2);
        List<ItemTable.StoredItem> read = ItemTable.complete(c, rows);
        for (int k = 0; k < read.size(); k++) {
            WorklistItem item = read.get(k).item();
            items.put(item.id(), versions.get(k), item);
            out.put(item.id(), item);
        }
        return out;
    }

    /**
     * The plan of the statement {@link #query} runs for this query, executed and timed by the database
     * ({@code EXPLAIN (ANALYZE, BUFFERS)} on PostgreSQL, {@code EXPLAIN ANALYZE} on H2), one line per element: what
     * the benchmark's growth plan and an administrator chasing a slow console query read.
     */
    public List<String> explain(WorklistQuery query) {
        Sql sql = toSql(query);
        String prefix = db.dialect() == Dialect.H2 ? "EXPLAIN ANALYZE " : "EXPLAIN (ANALYZE, BUFFERS) ";
        return db.read(c -> {
            List<String> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(prefix + sql.text)) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.addAll(List.of(rs.getString(1).split("\n")));
                    }
                }
            }
            return lines;
        });
    }

    /** The SQL for a query; package-private so tests can check the shape. */
    Sql toSql(WorklistQuery q) {
        Sql sql = new Sql();
        StringBuilder where = new StringBuilder();
        Set<SpsStatus> statuses = q.statuses().isEmpty() ? defaultStatuses : q.statuses();
        where.append("status IN (").append(DecisionColumns.placeholders(statuses.size())).append(')');
        statuses.stream().sorted().forEach(s -> sql.params.add(s.name()));

        List<String> stations = q.stationAeTitles().stream().filter(s -> !SqlLike.isUniversal(s)).toList();
        if (!stations.isEmpty() && stations.size() == q.stationAeTitles().size()) {
            if (stations.size() == 1) {
                match(where, sql, "station_ae_title", stations.get(0));
            } else {
                where.append(" AND station_ae_title IN (").append(DecisionColumns.placeholders(stations.size()))
                        .append(')');
                sql.params.addAll(stations);
            }
        }
        match(where, sql, "modality", q.modality());
        if (q.startFrom() != null) {
            where.append(" AND scheduled_start >= ?");
            sql.params.add(q.startFrom());
        }
        if (q.startTo() != null) {
            where.append(" AND scheduled_start <= ?");
            sql.params.add(q.startTo());
        }
        match(where, sql, "patient_id", q.patientId());
        match(where, sql, "issuer_of_patient_id", q.issuerOfPatientId());
        if (q.fuzzyNames()) {
            match(where, sql, "patient_name_norm", PersonNames.fold(q.patientName()));
        } else {
            match(where, sql, "patient_name", q.patientName());
            if (db.dialect() == Dialect.H2) {
                foldedNameRange(where, sql, q.patientName());
            }
        }
        match(where, sql, "accession_number", q.accessionNumber());
        match(where, sql, "requested_procedure_id", q.requestedProcedureId());
        match(where, sql, "sps_id", q.spsId());
        List<String> uids = q.studyInstanceUids().stream().filter(u -> u != null && !u.isEmpty()).toList();
        if (!uids.isEmpty()) {
            where.append(" AND study_instance_uid IN (").append(DecisionColumns.placeholders(uids.size())).append(')');
            sql.params.addAll(uids);
            sql.indexHints.add("ix_item_study_uid");
        }
        String hint = db.dialect() == Dialect.H2 && !sql.indexHints.isEmpty()
                ? " USE INDEX (" + String.join(", ", sql.indexHints) + ")" : "";
        // which steps match, in order: their id and row version only (a step the item cache holds at that version
        // is not read again); the others are read whole with rowsText, under the same conditions
        sql.where = where.toString();
        sql.whereParams = List.copyOf(sql.params);
        StringBuilder text = new StringBuilder("SELECT id, row_version FROM worklist_item").append(hint)
                .append(" WHERE ").append(where).append(" ORDER BY scheduled_start, id");
        if (q.limit() > 0) {
            text.append(" LIMIT ?");
            sql.params.add(q.limit());
        }
        sql.text = text.toString();
        return sql;
    }

    /** Single value, wildcard or universal matching on one column. */
    private void match(StringBuilder where, Sql sql, String column, String value) {
        if (SqlLike.isUniversal(value)) {
            return;
        }
        if (SqlLike.hasWildcard(value)) {
            where.append(" AND ").append(column).append(" LIKE ? ESCAPE '").append(SqlLike.ESCAPE).append('\'');
            // H2 evaluates LIKE by backtracking over every '%' (exponential in their number on long values) and
            // cannot be interrupted meanwhile: it gets at most two, a looser filter, and gateway-dicom's matcher
            // (linear) checks the whole pattern on every item returned. PostgreSQL's LIKE does not backtrack.
            sql.params.add(SqlLike.pattern(db.dialect() == Dialect.H2 ? SqlLike.atMostTwoStars(value) : value));
            String prefix = SqlLike.literalPrefix(value);
            if (!prefix.isEmpty() && SELECTIVE_INDEX.containsKey(column)) {
                sql.indexHints.add(SELECTIVE_INDEX.get(column));
            }
            if (db.dialect() == Dialect.H2 && !prefix.isEmpty()) {
                // H2 plans a LIKE with a bind parameter without looking at its prefix; an explicit range lets it
                // use the column's index ("DUP*" scans DUP..DUP\uffff, not the whole table). H2 compares
                // strings by code unit, so the range holds exactly the values that start with the prefix.
                where.append(" AND ").append(column).append(" >= ? AND ").append(column).append(" < ?");
                sql.params.add(prefix);
                sql.params.add(prefix + '\uffff');
            }
        } else {
            where.append(" AND ").append(column).append(" = ?");
            sql.params.add(value);
            if (SELECTIVE_INDEX.containsKey(column)) {
                sql.indexHints.add(SELECTIVE_INDEX.get(column));
            }
        }
    }

    /**
     * On H2, an exact-case name query reaches its rows through {@code ix_item_patient_name_norm}: there is no index
     * on {@code patient_name} alone since V13 (one B-tree fewer per order). The folded form of the stored name
     * ({@link PersonNames#fold}, which {@code patient_name_norm} holds) is a function of the name, and it folds
     * character by character, so a name equal to the key has the key's folded form and a name that starts with
     * the key's literal prefix has a folded form that starts with the folded prefix: this condition only narrows
     * the rows to read, the exact condition on {@code patient_name} (above) still decides. PostgreSQL keeps
     * {@code ix_item_patient_name_pattern} (V2) and needs no such help.
     */
    private void foldedNameRange(StringBuilder where, Sql sql, String value) {
        if (SqlLike.isUniversal(value)) {
            return;
        }
        if (!SqlLike.hasWildcard(value)) {
            where.append(" AND patient_name_norm = ?");
            sql.params.add(PersonNames.fold(value));
            sql.indexHints.add(SELECTIVE_INDEX.get("patient_name_norm"));
            return;
        }
        String prefix = SqlLike.literalPrefix(value);
        if (!prefix.isEmpty()) {
            String folded = PersonNames.fold(prefix);
            where.append(" AND patient_name_norm >= ? AND patient_name_norm < ?");
            sql.params.add(folded);
            sql.params.add(folded + '\uffff');
            sql.indexHints.add(SELECTIVE_INDEX.get("patient_name_norm"));
        }
    }

    @Override
    public Optional<WorklistItem> findBySpsId(String spsId) {
        return db.read(c -> first(c, "SELECT " + ItemTable.COLUMNS
                + " FROM worklist_item WHERE sps_id = ? ORDER BY id DESC", spsId));
    }

    @Override
    public List<WorklistItem> findByAccession(String accessionNumber) {
        return db.read(c -> all(c, "SELECT " + ItemTable.COLUMNS
                + " FROM worklist_item WHERE accession_number = ? ORDER BY scheduled_start, id", accessionNumber));
    }

    /** Every step of one placer order (all statuses), for the admin view and tests. */
    public List<WorklistItem> findByPlacerOrder(String placerOrderNumber) {
        return db.read(c -> all(c, "SELECT " + ItemTable.COLUMNS
                + " FROM worklist_item WHERE placer_order_number = ? ORDER BY id", placerOrderNumber));
    }

    @Override
    public List<PriorExam> history(String patientId) {
        return db.read(c -> ItemTable.history(c, patientId));
    }

    /** Every patient's exams performed in the period, oldest first: the source of the gadolinium report. */
    public List<PriorExam> exams(java.time.LocalDate from, java.time.LocalDate to) {
        return db.read(c -> ItemTable.exams(c, from, to));
    }

    @Override
    public Map<SpsStatus, Long> countByStatus() {
        return db.read(c -> {
            Map<SpsStatus, Long> counts = new EnumMap<>(SpsStatus.class);
            for (SpsStatus s : SpsStatus.values()) {
                counts.put(s, 0L);
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM worklist_item GROUP BY status")) {
                while (rs.next()) {
                    counts.put(SpsStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    private static Optional<WorklistItem> first(Connection c, String sql, String param) throws SQLException {
        List<WorklistItem> items = all(c, sql, param);
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    private static List<WorklistItem> all(Connection c, String sql, String param) throws SQLException {
        List<WorklistItem> out = new ArrayList<>();
        for (ItemTable.StoredItem s : ItemTable.select(c, sql, param)) {
            out.add(s.item());
        }
        return out;
    }

    /**
     * Indexes of the selective keys (an exact value, or a wildcard with a literal prefix), named in a
     * {@code USE INDEX} hint on H2: its planner otherwise prefers the status index, which returns rows already
     * in scheduled order, and scans every active item for a patient or accession query.
     */
    private static final java.util.Map<String, String> SELECTIVE_INDEX = java.util.Map.of(
            "patient_id", "ix_item_patient_id",
            "patient_name_norm", "ix_item_patient_name_norm",
            "accession_number", "ix_item_accession",
            "requested_procedure_id", "ix_item_req_proc_id",
            "sps_id", "ix_item_sps_id");

    /**
     * What the watch thread cancels: the statement of a query that is running (the first one, or the one reading a
     * batch's whole rows), once its client is gone or its time is up. On PostgreSQL a cancel only reaches the
     * statement it is called on while that one runs, hence the statement running now, not always the first.
     */
    static final class Watched {
        private final long deadline;
        private final boolean timeLimited;
        private volatile Statement first;
        private volatile Statement running;
        private volatile boolean ended;
        private volatile boolean timedOut;
        private volatile boolean cancelIssued;

        Watched(int timeoutSeconds) {
            this.timeLimited = timeoutSeconds > 0;
            this.deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds);
        }

        void first(Statement statement) {
            this.first = statement;
        }

        void running(Statement statement) {
            this.running = statement;
        }

        /** From the watch thread. */
        void check(java.util.function.BooleanSupplier cancelled) {
            if (ended) {
                return;
            }
            boolean late = timeLimited && System.nanoTime() - deadline >= 0;
            if (!late && !cancelled.getAsBoolean()) {
                return;
            }
            Statement now = running != null ? running : first; // first is set before the watch is scheduled
            timedOut = late;
            ended = true;
            cancelIssued = true;
            try {
                now.cancel();
            } catch (SQLException | RuntimeException e) {
                // the statement ended meanwhile
            }
        }

        /** A cancel was sent on the query's connection (whether or not it stopped a statement). */
        boolean cancelIssued() {
            return cancelIssued;
        }

        void end() {
            ended = true;
        }

        boolean timedOut() {
            return timedOut;
        }
    }

    /** One query's turn at reading the database: taken per batch, released before the batch goes to the sink. */
    static final class ReadTurn {
        private final java.util.concurrent.Semaphore turns;
        private boolean held;

        ReadTurn(java.util.concurrent.Semaphore turns) {
            this.turns = turns;
        }

        void take() {
            if (!held) {
                turns.acquireUninterruptibly(); // a turn lasts one batch of rows: milliseconds
                held = true;
            }
        }

        void release() {
            if (held) {
                held = false;
                turns.release();
            }
        }
    }

    /** Tests: runs after a batch's ids are read and before its whole rows are. */
    private volatile Runnable betweenStatements = () -> { };

    void betweenStatements(Runnable hook) {
        this.betweenStatements = hook;
    }

    /** Read turns free now (tests). */
    int freeReadTurns() {
        return readTurns.availablePermits();
    }

    /** SQL text with its parameters in order. */
    static final class Sql {
        /** The matching steps' id and row_version, in the query's order. */
        String text;
        final List<Object> params = new ArrayList<>();
        final List<String> indexHints = new ArrayList<>();
        /** The conditions and their parameters, for {@link #rowsText}. */
        String where;
        List<Object> whereParams = List.of();

        void bind(PreparedStatement ps) throws SQLException {
            bind(ps, params, 0);
        }

        /**
         * The whole rows of {@code ids} steps, still under the query's conditions: the id list padded to the sizes
         * the protocol codes are read in ({@link DecisionColumns#batchSize}), so a few texts serve every batch.
         */
        String rowsText(int ids) {
            return "SELECT " + ItemTable.COLUMNS + " FROM worklist_item WHERE id IN ("
                    + DecisionColumns.placeholders(DecisionColumns.batchSize(ids)) + ") AND " + where;
        }

        void bindRows(PreparedStatement ps, List<Long> ids) throws SQLException {
            int size = DecisionColumns.batchSize(ids.size());
            DecisionColumns.bindPadded(ps, 1, ids, size);
            bind(ps, whereParams, size);
        }

        private static void bind(PreparedStatement ps, List<Object> values, int offset) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                Object p = values.get(i);
                int at = offset + i + 1;
                if (p instanceof LocalDateTime t) {
                    SqlTime.setLocalDateTime(ps, at, t);
                } else if (p instanceof Integer n) {
                    ps.setInt(at, n);
                } else {
                    ps.setString(at, (String) p);
                }
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
