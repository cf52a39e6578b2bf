package org.ofsep.mwl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regional network ({@code scripts/bench.sh --postgres --instances 2 --sizes 1000000}): several gateway
 * instances on one PostgreSQL database, as two sites of a network sharing one RIS would run them.
 * <ol>
 * <li>Load: the orders are split between the instances and sent to all of them at once, over four MLLP
 * connections each; the combined intake is all orders over the time the slowest instance took. The load goes
 * through MLLP, the ACK after the commit, like any order. With {@code --bulk-load B}, the first B orders are
 * written before the gateways start by {@link BulkLoad} (setup only, marked as such in the report and the JSON)
 * and only the others make the measured intake.</li>
 * <li>Peak: {@link PeakScenario} on every instance at once, each with its share of the stations' consoles (one
 * console per station, a new association every refresh) and orders arriving at the peak's rate.</li>
 * <li>Housekeeping runs every minute on every instance's schedule ({@link #housekeepingEveryMinute}); the lease
 * lets one instance do it. Its runs are counted per instance from the logs, so the report shows who did the work
 * and the other instance's query latency while it did.</li>
 * </ol>
 */
final class RegionalScenario {
    private static final Pattern HOUSEKEEPING = Pattern.compile("Housekeeping: (\\d+) stale step\\(s\\)");

    private RegionalScenario() {
    }

    record Instance(String name, int hl7Port, int dicomPort, int httpPort, long pid, Path log) {
    }

    /** Housekeeping every minute instead of every hour, so that it runs during the measured phases. */
    static void housekeepingEveryMinute(Path config) throws IOException {
        Path f = config.resolve("gateway.yaml");
        String yaml = Files.readString(f, StandardCharsets.UTF_8);
        String changed = yaml.replaceAll("(?m)^(\\s*intervalMinutes:)\\s*\\d+", "$1 1");
        if (changed.equals(yaml)) {
            throw new IOException("housekeeping.intervalMinutes not found in " + f);
        }
        Files.writeString(f, changed, StandardCharsets.UTF_8);
    }

    /** The peak's rhythm on each instance: the consoles' refresh period, the orders' rate and connections. */
    record Peak(int seconds, int periodMs, double orderRate, int hl7Connections, int warmupSeconds) {
    }

    /**
     * @param bulk the first orders, already written by {@link BulkLoad} (setup only); orders {@code bulk} to
     *             {@code n} go through MLLP and make the measured intake
     */
    static Map<String, Object> run(List<Instance> gws, String calledAe, LocalDate day, OrderGenerator gen, int bulk,
                                   int n, int stations, Peak peak, Runnable checkpoint) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        int k = gws.size();
        int perInstance = (int) Math.round(peak.orderRate() * peak.seconds());
        int warmPerInstance = (int) Math.round(peak.orderRate() * peak.warmupSeconds());
        int total = n + k * (warmPerInstance + perInstance);
        int sent = n - bulk;
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            // --- load: every instance at once
            BenchRun.log("  load: " + sent + " orders split over " + k + " instances, 4 connections each"
                    + (bulk > 0 ? " (onto the " + bulk + " bulk-loaded ones)" : ""));
            List<Callable<MllpLoad.Result>> loads = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int from = bulk + (int) ((long) sent * i / k);
                int to = bulk + (int) ((long) sent * (i + 1) / k);
                Instance gw = gws.get(i);
                loads.add(() -> MllpLoad.run("127.0.0.1", gw.hl7Port(), gen.orders(from, to, total), 4, 0));
            }
            List<MllpLoad.Result> loaded = all(pool, loads);
            Map<String, Object> load = new LinkedHashMap<>();
            double slowest = 0;
            int accepted = 0;
            for (int i = 0; i < k; i++) {
                load.put("instance_" + gws.get(i).name(), loaded.get(i).toMap());
                slowest = Math.max(slowest, loaded.get(i).seconds());
                accepted += loaded.get(i).accepted();
            }
            load.put("combined_orders", accepted);
            load.put("combined_seconds", Percentiles.round(slowest));
            load.put("combined_orders_per_s", Math.round(accepted / slowest * 10) / 10.0);
            r.put("load", load);
            checkpoint.run();

            // --- the peak on every instance at once: each instance's share of the stations' consoles, after the
            // same workload unmeasured for warmupSeconds (the JIT compiles the consoles' paths first)
            r.put("warmup_seconds", peak.warmupSeconds());
            if (peak.warmupSeconds() > 0) {
                BenchRun.log("  warm-up (not measured): the peak's workload on all " + k + " instances for "
                        + peak.warmupSeconds() + " s");
                all(pool, peakWork(gws, calledAe, day, gen, stations, peak, peak.warmupSeconds(), n, warmPerInstance,
                        total, false));
            }
            BenchRun.log("  peak on all " + k + " instances: " + stations + " consoles (one per station) every "
                    + peak.periodMs() + " ms, orders at " + peak.orderRate() + "/s on each, " + peak.seconds() + " s");
            List<Map<String, Object>> results = all(pool, peakWork(gws, calledAe, day, gen, stations, peak,
                    peak.seconds(), n + k * warmPerInstance, perInstance, total, true));
            Map<String, Object> peaks = new LinkedHashMap<>();
            for (int i = 0; i < k; i++) {
                peaks.put("instance_" + gws.get(i).name(), results.get(i));
            }
            r.put("peak", peaks);

            // --- who did the housekeeping
            Map<String, Object> hk = new LinkedHashMap<>();
            for (Instance gw : gws) {
                hk.put("instance_" + gw.name(), housekeepingRuns(gw.log()));
            }
            r.put("housekeeping_runs", hk);
            return r;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One peak phase on every instance: orders {@code from}.. ({@code perInstance} each) at the peak's rate. */
    private static List<Callable<Map<String, Object>>> peakWork(List<Instance> gws, String calledAe, LocalDate day,
            OrderGenerator gen, int stations, Peak peak, int seconds, int from, int perInstance, int total,
            boolean readHeap) {
        int k = gws.size();
        List<Callable<Map<String, Object>>> work = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Instance gw = gws.get(i);
            int first = 1 + stations * i / k;
            int consoles = stations * (i + 1) / k - stations * i / k;
            int start = from + i * perInstance;
            List<String> orders = gen.orders(start, start + perInstance, total);
            work.add(() -> PeakScenario.run(new PeakScenario.Settings("127.0.0.1", gw.dicomPort(), gw.hl7Port(),
                    gw.httpPort(), calledAe, day, consoles, first, seconds, peak.periodMs(), peak.orderRate(),
                    peak.hl7Connections()), orders, gw.pid(), readHeap));
        }
        return work;
    }

    /**
     * What the store holds after the run, per table: rows (counted) and bytes on disk with its indexes and TOAST
     * ({@code pg_total_relation_size}), largest first; what the growth plan in docs/benchmarks.md is built from.
     */
    static Map<String, Object> storeSize(Map<String, String> storeEnv) {
        Map<String, Object> out = new LinkedHashMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(storeEnv.get("GATEWAY_DB_URL"),
                storeEnv.get("GATEWAY_DB_USER"), storeEnv.getOrDefault("GATEWAY_DB_PASSWORD", ""));
             java.sql.Statement s = c.createStatement()) {
            List<String[]> tables = new ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery("SELECT relname, pg_total_relation_size(relid),"
                    + " pg_indexes_size(relid) FROM pg_stat_user_tables ORDER BY 2 DESC")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), String.valueOf(rs.getLong(2)),
                        String.valueOf(rs.getLong(3))});
                }
            }
            for (String[] t : tables) {
                Map<String, Object> m = new LinkedHashMap<>();
                try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t[0] + "\"")) {
                    rs.next();
                    m.put("rows", rs.getLong(1));
                }
                m.put("total_mb", Math.round(Long.parseLong(t[1]) / 1048576.0 * 10) / 10.0);
                m.put("indexes_mb", Math.round(Long.parseLong(t[2]) / 1048576.0 * 10) / 10.0);
                out.put(t[0], m);
            }
        } catch (java.sql.SQLException e) {
            out.put("error", e.getMessage());
        }
        return out;
    }

    /**
     * The plan of the console query for one station and day as the database ran it (EXPLAIN (ANALYZE, BUFFERS),
     * through the gateway's own {@code JdbcWorklistStore}, after the run): which index carries it and what it
     * read, for the growth plan.
     */
    static Map<String, Object> consoleQueryPlan(Map<String, String> storeEnv, String station, LocalDate day) {
        Map<String, Object> out = new LinkedHashMap<>();
        org.ofsep.mwl.store.DatabaseSettings settings = new org.ofsep.mwl.store.DatabaseSettings(
                storeEnv.get("GATEWAY_DB_URL"), storeEnv.get("GATEWAY_DB_USER"),
                storeEnv.getOrDefault("GATEWAY_DB_PASSWORD", ""), 2);
        try (org.ofsep.mwl.store.Database db = org.ofsep.mwl.store.Database.open(settings)) {
            org.ofsep.mwl.core.store.WorklistQuery q = new org.ofsep.mwl.core.store.WorklistQuery(List.of(station),
                    "MR", day.atStartOfDay(), day.atTime(23, 59, 59), null, null, null, false, null, null, null,
                    null, null, 0);
            org.ofsep.mwl.store.JdbcWorklistStore store = new org.ofsep.mwl.store.JdbcWorklistStore(db);
            store.explain(q); // the first run reads the pages from disk: the second is the steady state
            out.put("station", station);
            out.put("day", day.toString());
            out.put("plan", store.explain(q));
        } catch (RuntimeException e) {
            out.put("error", e.toString());
        }
        return out;
    }

    /** Goals of the regional scale (issue 18). */
    static List<Map<String, Object>> goals(List<Map<String, Object>> runs) {
        List<Map<String, Object>> goals = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            Object n = r.get("items");
            Double rate = Goals.num(r, "load", "combined_orders_per_s");
            goals.add(Goals.goal("regional at " + n + " orders: combined intake, all instances at once", rate,
                    ">= 1000/s", rate == null ? null : rate >= 1000));
            if (Goals.get(r, "peak") instanceof Map<?, ?> peak) {
                for (Object name : peak.keySet()) {
                    String inst = String.valueOf(name);
                    Double p99 = Goals.num(r, "peak", inst, "query_latency", "p99_ms");
                    goals.add(Goals.goal("regional at " + n + " orders: console query p99 on " + inst.replace('_', ' ')
                            + ", orders arriving", p99, "<= 20 ms", p99 == null ? null : p99 <= 20));
                    Double refused = Goals.num(r, "peak", inst, "associations_refused");
                    goals.add(Goals.goal("regional at " + n + " orders: associations refused on " + inst.replace('_',
                            ' '), refused, "0", refused == null ? null : refused == 0));
                }
            }
            int doing = 0;
            if (Goals.get(r, "housekeeping_runs") instanceof Map<?, ?> hk) {
                for (Object v : hk.values()) {
                    if (v instanceof Map<?, ?> m && m.get("runs") instanceof Integer runsOf && runsOf > 0) {
                        doing++;
                    }
                }
            }
            goals.add(Goals.goal("regional at " + n + " orders: instances that ran housekeeping (lease)",
                    (double) doing, "1", doing == 1));
        }
        return goals;
    }

    private static Map<String, Object> housekeepingRuns(Path log) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        int runs = 0;
        long stale = 0;
        if (Files.exists(log)) {
            Matcher mm = HOUSEKEEPING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            while (mm.find()) {
                runs++;
                stale += Long.parseLong(mm.group(1));
            }
        }
        m.put("runs", runs);
        m.put("stale_steps_closed", stale);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> all(ExecutorService pool, List<? extends Callable<? extends T>> tasks) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<? extends T> t : tasks) {
            futures.add((Future<T>) pool.submit(t));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
