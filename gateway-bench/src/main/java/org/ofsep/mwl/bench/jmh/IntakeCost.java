package org.ofsep.mwl.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.MessageParser;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcMessageLog;
import org.ofsep.mwl.store.service.JdbcOrderService;

/**
 * What one accepted order costs the embedded store, counted rather than timed (so that a machine shared with other
 * work still gives the same figures): the bench's orders applied one by one as the inbound route does (the
 * duplicate check, then the order and its log row with the AA in one transaction), on an H2 file store opened as
 * the gateway opens it. After {@code warm-up} orders it turns on H2's query statistics and reads H2's own file
 * counters, applies {@code orders} more and prints per order: the statements executed (each SQL text with its
 * executions per order and H2's time), the bytes H2 wrote and the file growth, the bytes allocated and the wall
 * time; then the mean stored size of the rows of each table an order writes. The order is parsed beforehand: its
 * HL7 parse is not counted (JMH {@code IntakeBench.parseOrder -prof gc} gives that).
 *
 * <pre>java -cp gateway-bench/target/benchmarks.jar org.ofsep.mwl.bench.jmh.IntakeCost [warm-up] [orders]</pre>
 * (from the repository root: the mapping comes from config/, as in the JMH benchmarks).
 */
public final class IntakeCost {

    private IntakeCost() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int total = warmup + measured;
        MappingHolder holder = Fixture.mapping(Fixture.configDir());
        Path dataDir = Files.createTempDirectory("mwl-intake-cost");
        DatabaseSettings h2 = DatabaseSettings.h2(dataDir);
        if (args.length > 2) { // settings appended to the H2 URL, to compare them (e.g. ";PAGE_SIZE=2048")
            h2 = new DatabaseSettings(h2.url() + args[2], h2.user(), h2.password(), h2.maxPoolSize());
            System.out.println("H2 URL settings added: " + args[2]);
        }
        Database db = Database.open(h2);
        String sqlFirst = System.getProperty("intakecost.sql"); // statements run first, ';'-separated: to compare
        if (sqlFirst != null && !sqlFirst.isBlank()) {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : sqlFirst.split(";")) {
                        if (!sql.isBlank()) {
                            s.execute(sql);
                        }
                    }
                }
                return null;
            });
            System.out.println("run first: " + sqlFirst);
        }
        try {
            JdbcOrderService orders = new JdbcOrderService(db,
                    Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone()));
            JdbcMessageLog log = new JdbcMessageLog(db, Clock.systemDefaultZone());
            MessageParser parser = new MessageParser();
            List<String> messages = Fixture.orders(total);
            List<OrderMessage> parsed = new ArrayList<>(total);
            for (String m : messages) {
                parsed.add(((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order());
            }
            for (int i = 0; i < warmup; i++) {
                accept(db, orders, log, messages, parsed, i);
            }
            long[] before = fileCounters(db);
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET QUERY_STATISTICS_MAX_ENTRIES 500");
                    s.execute("SET QUERY_STATISTICS TRUE");
                }
                return null;
            });
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = warmup; i < total; i++) {
                accept(db, orders, log, messages, parsed, i);
            }
            long nanos = System.nanoTime() - start;
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            long[] after = fileCounters(db);
            System.out.printf(Locale.ROOT, "%d orders after %d of warm-up, one thread%n", measured, warmup);
            System.out.printf(Locale.ROOT, "wall time per order: %.1f µs; CPU time of this thread: %.1f µs (H2 commits on"
                    + " the committing thread; the JIT and GC are not counted)%n", nanos / 1e3 / measured,
                    cpu / 1e3 / measured);
            System.out.printf(Locale.ROOT, "allocated per order (this thread, H2's commit included): %.0f bytes%n",
                    allocated / (double) measured);
            System.out.printf(Locale.ROOT, "H2 bytes written per order: %.0f (%.1f pages of 4 KB)%n",
                    (after[0] - before[0]) / (double) measured, (after[0] - before[0]) / 4096.0 / measured);
            System.out.printf(Locale.ROOT, "H2 file growth per order: %.0f bytes%n",
                    (after[1] - before[1]) / (double) measured);
            db.read(c -> {
                double statements = 0;
                List<String> lines = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, "
                        + "EXECUTION_COUNT, CUMULATIVE_EXECUTION_TIME, CUMULATIVE_ROW_COUNT FROM "
                        + "INFORMATION_SCHEMA.QUERY_STATISTICS ORDER BY EXECUTION_COUNT DESC")) {
                    while (rs.next()) {
                        String sql = rs.getString(1);
                        if (sql.contains("QUERY_STATISTICS")) {
                            continue;
                        }
                        double per = rs.getLong(2) / (double) measured;
                        statements += per;
                        lines.add(String.format(Locale.ROOT, "  %5.2f x %7.1f µs  %s", per,
                                rs.getDouble(3) * 1e3 / rs.getLong(2),
                                sql.length() > 150 ? sql.substring(0, 150) + "..." : sql));
                    }
                }
                System.out.printf(Locale.ROOT, "statements per order: %.2f (executions per order x H2's mean time)%n",
                        statements);
                lines.forEach(System.out::println);
                return null;
            });
            printRowSizes(db);
        } finally {
            db.close();
            holder.close();
            Fixture.deleteTree(dataDir);
        }
    }

    /**
     * With {@code -Dintakecost.priors=true}: each MS order also writes its durable PACS lookup in its transaction,
     * as the gateway does with {@code priors.source} set ({@code PriorLookups}: held by this instance).
     */
    private static final boolean PRIORS = Boolean.getBoolean("intakecost.priors");
    /**
     * With {@code -Dintakecost.priors.json=true} too: the lookup row holds the order as JSON (as before V14, and
     * as an order without a logged message still does) instead of naming its message, to compare.
     */
    private static final boolean JSON_COPY = Boolean.getBoolean("intakecost.priors.json");
    private static org.ofsep.mwl.store.priors.JdbcPriorLookupQueue lookups;

    private static void accept(Database db, JdbcOrderService orders, JdbcMessageLog log, List<String> messages,
                               List<OrderMessage> parsed, int i) {
        log.findAccepted("RIS^CHU", "BENCH-" + i);
        if (PRIORS && lookups == null) {
            lookups = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(db, Clock.systemUTC());
        }
        db.inOneTransaction(() -> {
            // as the inbound route does: the log row with its AA first, then the order, whose lookup names that row
            long id = log.record("RIS^CHU", "BENCH-" + i, "ORM^O01", messages.get(i), "AA",
                    "MSH|^~\\&|MWLGW|CHU|RIS|CHU|20261125||ACK^O01|ACK" + i + "|P|2.5\rMSA|AA|BENCH-" + i, null);
            List<org.ofsep.mwl.core.domain.WorklistItem> items = orders.apply(parsed.get(i));
            if (PRIORS && items.stream().anyMatch(it -> it.decision() != null && it.decision().ofsep())) {
                lookups.add(parsed.get(i), JSON_COPY ? 0 : id, "intake-cost", java.time.Duration.ofSeconds(30));
            }
            return id;
        });
    }

    /** The mean stored length of the text columns of the tables an order writes (what makes their B-tree pages). */
    private static void printRowSizes(Database db) {
        db.read(c -> {
            for (String table : List.of("WORKLIST_ITEM", "ITEM_REVIEW", "ITEM_PROTOCOL_CODE", "HL7_MESSAGE",
                    "PRIOR_LOOKUP")) {
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", table, null)) {
                    while (rs.next()) {
                        cols.add(rs.getString("COLUMN_NAME"));
                    }
                }
                StringBuilder sql = new StringBuilder("SELECT COUNT(*)");
                for (String col : cols) {
                    sql.append(", AVG(CAST(OCTET_LENGTH(CAST(").append(col).append(" AS VARCHAR)) AS DOUBLE))");
                }
                sql.append(" FROM ").append(table);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                    rs.next();
                    double sum = 0;
                    StringBuilder parts = new StringBuilder();
                    for (int k = 0; k < cols.size(); k++) {
                        double v = rs.getDouble(k + 2);
                        sum += v;
                        if (v >= 40) {
                            parts.append(String.format(Locale.ROOT, " %s=%.0f", cols.get(k).toLowerCase(Locale.ROOT), v));
                        }
                    }
                    System.out.printf(Locale.ROOT, "%s: %d rows, about %.0f bytes of values per row;%s%n",
                            table.toLowerCase(Locale.ROOT), rs.getLong(1), sum, parts);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state, COUNT(*),"
                    + " AVG(CAST(OCTET_LENGTH(rules_decision_json) AS DOUBLE)) FROM item_review GROUP BY state")) {
                StringBuilder out = new StringBuilder("review rows by state (rules_decision_json bytes):");
                while (rs.next()) {
                    out.append(String.format(Locale.ROOT, " %s %d (%.0f)", rs.getString(1), rs.getLong(2),
                            rs.getDouble(3)));
                }
                System.out.println(out);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COUNT(*) FROM"
                    + " INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'PUBLIC' GROUP BY TABLE_NAME ORDER BY 1")) {
                StringBuilder out = new StringBuilder("indexes per table:");
                while (rs.next()) {
                    out.append(' ').append(rs.getString(1).toLowerCase(Locale.ROOT)).append('=').append(rs.getInt(2));
                }
                System.out.println(out);
            }
            return null;
        });
    }

    /** H2's counters: bytes written to the file since it was opened, and the file's size. */
    private static long[] fileCounters(Database db) {
        return db.read(c -> {
            long written = 0;
            long size = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE"
                    + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_WRITE_BYTES',"
                    + " 'info.FILE_SIZE')")) {
                while (rs.next()) {
                    long v = Long.parseLong(rs.getString(2));
                    if (rs.getString(1).equals("info.FILE_WRITE_BYTES")) {
                        written = v;
                    } else {
                        size = v;
                    }
                }
            }
            return new long[] {written, size};
        });
    }
}
