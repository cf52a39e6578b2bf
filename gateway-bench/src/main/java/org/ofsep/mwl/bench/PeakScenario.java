package org.ofsep.mwl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.scu.AssociationRejectedException;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.QueryKeys;

/**
 * The morning peak ({@code scripts/bench.sh --scenario peak}, and each instance of the regional scenario):
 * {@code consoles} consoles, one station each (MR_01..MR_nn, or from {@code firstStation}), each opening its own association every {@code periodMs} to query its station and day with the
 * return keys of {@link ConsoleQuery} and release it, all of them on the same beat (the worst case: every console
 * refreshes at the same instant), while the RIS sends orders at {@code orderRate} per second over
 * {@code hl7Connections} MLLP connections. Measured per console: the C-FIND latency (request sent to final
 * response, the figure the goals judge) and the whole refresh (connect, negotiate, query, release); associations
 * refused or failed; the ACK latency of the orders; the gateway process's CPU (from /proc) and heap at the end.
 */
final class PeakScenario {
    private PeakScenario() {
    }

    record Settings(String host, int dicomPort, int hl7Port, int httpPort, String calledAe, LocalDate day,
                    int consoles, int firstStation, int seconds, int periodMs, double orderRate,
                    int hl7Connections) {
    }

    static Map<String, Object> run(Settings s, List<String> orders, long gatewayPid) throws Exception {
        return run(s, orders, gatewayPid, true);
    }

    /**
     * The workload without reading the heap at its end ({@code readHeap} false): the warm-up, whose heap figures
     * nobody reads. Reading them forces a full collection ({@code jcmd GC.run}) right before the measured
     * minute: with ZGC a concurrent cycle then runs into the first beats.
     */
    static Map<String, Object> run(Settings s, List<String> orders, long gatewayPid, boolean readHeap)
            throws Exception {
        List<Attributes> keys = new ArrayList<>();
        for (int c = 1; c <= s.consoles(); c++) {
            keys.add(QueryKeys.parse(ConsoleQuery.keys(BenchStations.aeTitle(s.firstStation() + c - 1), s.day())));
        }
        int rounds = Math.max(1, s.seconds() * 1000 / s.periodMs());
        long[][] query = new long[s.consoles()][rounds];
        long[][] refresh = new long[s.consoles()][rounds];
        long[][] queryStart = new long[s.consoles()][rounds];
        int[][] queryRound = new int[s.consoles()][rounds];
        int[] done = new int[s.consoles()];
        long[] matches = new long[s.consoles()];
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<MllpLoad.Result> hl7 = new AtomicReference<>();
        AtomicReference<Exception> hl7Error = new AtomicReference<>();

        String[] metrics0 = Processes.get(s.httpPort(), "/metrics"); // the C-FIND histogram and the GC pauses
        ServerHistogram.Snapshot h0 = ServerHistogram.of(metrics0);
        GcPauses.Snapshot gc0 = GcPauses.of(metrics0);
        long[] cpu0 = cpuTicks(gatewayPid);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long benchCpu0 = os.getProcessCpuTime();
        long start = System.nanoTime() + 200_000_000L; // every console thread ready before the first beat
        List<Thread> threads = new ArrayList<>();
        Thread ris = new Thread(() -> {
            try {
                LockSupport.parkNanos(start - System.nanoTime());
                hl7.set(MllpLoad.run(s.host(), s.hl7Port(), orders, s.hl7Connections(), s.orderRate()));
            } catch (Exception e) {
                hl7Error.set(e);
            }
        }, "peak-ris");
        if (!orders.isEmpty()) { // the night before the peak: consoles only
            threads.add(ris);
        }
        for (int c = 0; c < s.consoles(); c++) {
            int console = c;
            String ae = BenchStations.aeTitle(s.firstStation() + c);
            threads.add(new Thread(() -> {
                for (int round = 0; round < rounds; round++) {
                    long due = start + round * (long) s.periodMs() * 1_000_000L;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long t0 = System.nanoTime();
                    try (DicomClient client = DicomClient.connect(s.host(), s.dicomPort(), ae, s.calledAe(),
                            List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
                        int[] n = {0};
                        long q0 = System.nanoTime();
                        int status = client.find(UID.MODALITY_WORKLIST_FIND, keys.get(console), a -> {
                            n[0]++;
                            return true;
                        });
                        long q1 = System.nanoTime();
                        client.release();
                        if (status != 0) {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, ae + ": C-FIND status 0x" + Integer.toHexString(status));
                            continue;
                        }
                        query[console][done[console]] = q1 - q0;
                        queryStart[console][done[console]] = q0 - due;
                        queryRound[console][done[console]] = round;
                        refresh[console][done[console]] = System.nanoTime() - t0;
                        done[console]++;
                        matches[console] += n[0];
                    } catch (AssociationRejectedException e) {
                        refused.incrementAndGet();
                        firstError.compareAndSet(null, ae + ": " + e.getMessage());
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, ae + ": " + e);
                    }
                }
            }, "peak-console-" + ae));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long[] cpu1 = cpuTicks(gatewayPid);
        long benchCpu1 = os.getProcessCpuTime();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("consoles", s.consoles());
        m.put("seconds", s.seconds());
        m.put("refresh_period_ms", s.periodMs());
        m.put("console_association", "new association per refresh (connect, C-FIND, release), all consoles on the same beat");
        List<long[]> all = new ArrayList<>();
        List<long[]> allRefresh = new ArrayList<>();
        List<Map<String, Object>> perConsole = new ArrayList<>();
        double worstP99 = 0;
        long queries = 0;
        long items = 0;
        for (int c = 0; c < s.consoles(); c++) {
            Percentiles p = Percentiles.of(query[c], done[c]);
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("station", BenchStations.aeTitle(s.firstStation() + c));
            pc.put("queries", done[c]);
            pc.put("items_per_query_mean", done[c] == 0 ? 0 : Math.round(10.0 * matches[c] / done[c]) / 10.0);
            pc.put("query_p50_ms", p.p50Ms());
            pc.put("query_p99_ms", p.p99Ms());
            perConsole.add(pc);
            if (done[c] > 0) {
                worstP99 = Math.max(worstP99, p.p99Ms());
            }
            all.add(java.util.Arrays.copyOf(query[c], done[c]));
            allRefresh.add(java.util.Arrays.copyOf(refresh[c], done[c]));
            queries += done[c];
            items += matches[c];
        }
        m.put("queries", queries);
        m.put("items_per_query_mean", queries == 0 ? 0 : Math.round(10.0 * items / queries) / 10.0);
        m.put("query_latency", Percentiles.of(concat(all), (int) queries).toMap());
        m.put("query_p99_worst_console_ms", worstP99);
        m.put("refresh_latency", Percentiles.of(concat(allRefresh), (int) queries).toMap());
        m.put("slowest_queries", slowest(query, queryStart, queryRound, done, s, 20));
        String[] metrics1 = Processes.get(s.httpPort(), "/metrics");
        m.put("server_side", ServerHistogram.between(h0, ServerHistogram.of(metrics1)));
        m.put("gc_pauses", GcPauses.between(gc0, GcPauses.of(metrics1)));
        m.put("associations_refused", refused.get());
        m.put("queries_failed", failed.get());
        if (firstError.get() != null) {
            m.put("first_error", firstError.get());
        }
        if (orders.isEmpty()) {
            m.put("intake", Map.of("orders", 0));
        } else if (hl7.get() != null) {
            m.put("intake", hl7.get().toMap());
        } else {
            m.put("intake", Map.of("error", String.valueOf(hl7Error.get())));
        }
        if (cpu0 != null && cpu1 != null) {
            double cpuSeconds = (cpu1[0] - cpu0[0]) / (double) cpu1[1];
            m.put("gateway_cpu_seconds", Percentiles.round(cpuSeconds));
            m.put("gateway_cpu_cores_mean", Percentiles.round(cpuSeconds / wall));
        }
        // the load generator shares the machine: its CPU (40 console threads, the MLLP sender) is CPU the gateway
        // did not have at the beat
        m.put("load_generator_cpu_cores_mean", Percentiles.round((benchCpu1 - benchCpu0) / 1e9 / wall));
        if (readHeap) {
            m.put("heap_at_end", Heap.read(gatewayPid));
        }
        m.put("per_console", perConsole);
        return m;
    }

    /**
     * The slowest queries with when they ran (beat number, milliseconds after the beat the C-FIND was sent): a tail
     * that falls on a few beats points at a pause (a GC in either JVM), one spread over every beat at the CPU.
     */
    private static List<Map<String, Object>> slowest(long[][] query, long[][] start, int[][] round, int[] done,
            Settings s, int n) {
        List<long[]> rows = new ArrayList<>();
        for (int c = 0; c < done.length; c++) {
            for (int i = 0; i < done[c]; i++) {
                rows.add(new long[] {query[c][i], start[c][i], round[c][i], c});
            }
        }
        rows.sort((a, b) -> Long.compare(b[0], a[0]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (long[] r : rows.subList(0, Math.min(n, rows.size()))) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("query_ms", Percentiles.round(r[0] / 1e6));
            q.put("beat", r[2]);
            q.put("sent_after_beat_ms", Percentiles.round(r[1] / 1e6));
            q.put("station", BenchStations.aeTitle(s.firstStation() + (int) r[3]));
            out.add(q);
        }
        return out;
    }

    /** Goals of the peak (issue 18): query p99, ACK p99, no association refused. */
    static List<Map<String, Object>> goals(List<Map<String, Object>> runs) {
        List<Map<String, Object>> goals = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            Object n = r.get("items");
            Double p99 = Goals.num(r, "peak", "query_latency", "p99_ms");
            goals.add(Goals.goal("peak at " + n + " items: console query p99, all consoles", p99, "<= 20 ms",
                    p99 == null ? null : p99 <= 20));
            Double ack = Goals.num(r, "peak", "intake", "ack_latency", "p99_ms");
            goals.add(Goals.goal("peak at " + n + " items: ACK p99 at the peak's order rate", ack, "<= 50 ms",
                    ack == null ? null : ack <= 50));
            Double refused = Goals.num(r, "peak", "associations_refused");
            goals.add(Goals.goal("peak at " + n + " items: associations refused", refused, "0",
                    refused == null ? null : refused == 0));
            Double failed = Goals.num(r, "peak", "queries_failed");
            Double notAa = Goals.num(r, "peak", "intake", "not_AA");
            Double errors = failed == null || notAa == null ? null : failed + notAa;
            goals.add(Goals.goal("peak at " + n + " items: queries failed + orders not AA", errors, "0",
                    errors == null ? null : errors == 0));
        }
        return goals;
    }

    private static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] all = new long[n];
        int i = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }

    /** utime + stime of a process in clock ticks, and the ticks per second (100 on Linux); null elsewhere. */
    private static long[] cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12)
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), 100};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
