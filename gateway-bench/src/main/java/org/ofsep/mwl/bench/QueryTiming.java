package org.ofsep.mwl.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.QueryKeys;

/**
 * Times the console query with the in-process SCU ({@link DicomClient}): from the C-FIND-RQ sent to the final
 * C-FIND-RSP received, every pending response decoded on the way. Two shapes: one association per station opened
 * once and reused for every query (what a console polling its worklist does; the query itself), and a new
 * association per query (connect, negotiate, query, release: what a console that connects for each refresh pays).
 */
public final class QueryTiming {

    /** Latency and the number of items each query returned. */
    public record Result(String shape, Percentiles latency, double meanMatches, int minMatches, int maxMatches,
                         int failures) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("association", shape);
            m.put("latency", latency.toMap());
            m.put("matches_per_query_mean", Math.round(meanMatches * 10) / 10.0);
            m.put("matches_per_query_min", minMatches);
            m.put("matches_per_query_max", maxMatches);
            m.put("failures", failures);
            return m;
        }
    }

    private QueryTiming() {
    }

    /** {@code queries} queries, round robin over the stations, each on its station's own reused association. */
    public static Result reused(String host, int port, String calledAe, LocalDate day, int queries, int warmup)
            throws Exception {
        List<DicomClient> clients = new ArrayList<>();
        List<Attributes> keys = new ArrayList<>();
        try {
            for (int s = 1; s <= BenchStations.COUNT; s++) {
                clients.add(DicomClient.connect(host, port, BenchStations.aeTitle(s), calledAe,
                        List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults()));
                keys.add(QueryKeys.parse(ConsoleQuery.keys(BenchStations.aeTitle(s), day)));
            }
            Counter counter = new Counter(queries);
            for (int i = 0; i < warmup + queries; i++) {
                int s = i % clients.size();
                counter.time(i >= warmup, () -> {
                    int[] n = {0};
                    int status = clients.get(s).find(UID.MODALITY_WORKLIST_FIND, keys.get(s), a -> {
                        n[0]++;
                        return true;
                    });
                    return status == 0 ? n[0] : -1;
                });
            }
            for (DicomClient c : clients) {
                c.release();
            }
            return counter.result("one association per station, reused for every query");
        } finally {
            for (DicomClient c : clients) {
                c.close();
            }
        }
    }

    /**
     * {@code queries} selective queries (one order by Accession Number, {@link ConsoleQuery#byAccession}) on one
     * reused association per station; {@code stationOfOrder} gives the AE title an accession is scheduled on.
     */
    public static Result selective(String host, int port, String calledAe, List<String[]> accessionAndStation,
                                   int queries, int warmup) throws Exception {
        java.util.Map<String, DicomClient> clients = new java.util.LinkedHashMap<>();
        try {
            for (int s = 1; s <= BenchStations.COUNT; s++) {
                clients.put(BenchStations.aeTitle(s), DicomClient.connect(host, port, BenchStations.aeTitle(s),
                        calledAe, List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults()));
            }
            Counter counter = new Counter(queries);
            for (int i = 0; i < warmup + queries; i++) {
                String[] pick = accessionAndStation.get(i % accessionAndStation.size());
                DicomClient c = clients.get(pick[1]);
                Attributes keys = QueryKeys.parse(ConsoleQuery.byAccession(pick[1], pick[0]));
                counter.time(i >= warmup, () -> {
                    int[] n = {0};
                    int status = c.find(UID.MODALITY_WORKLIST_FIND, keys, a -> {
                        n[0]++;
                        return true;
                    });
                    return status == 0 ? n[0] : -1;
                });
            }
            for (DicomClient c : clients.values()) {
                c.release();
            }
            return counter.result("one association per station, reused; one order by Accession Number");
        } finally {
            for (DicomClient c : clients.values()) {
                c.close();
            }
        }
    }

    /** {@code queries} queries, each on a new association (connect, C-FIND, release). */
    public static Result perQuery(String host, int port, String calledAe, LocalDate day, int queries, int warmup)
            throws Exception {
        List<Attributes> keys = new ArrayList<>();
        for (int s = 1; s <= BenchStations.COUNT; s++) {
            keys.add(QueryKeys.parse(ConsoleQuery.keys(BenchStations.aeTitle(s), day)));
        }
        Counter counter = new Counter(queries);
        for (int i = 0; i < warmup + queries; i++) {
            int s = i % BenchStations.COUNT;
            counter.time(i >= warmup, () -> {
                try (DicomClient c = DicomClient.connect(host, port, BenchStations.aeTitle(s + 1), calledAe,
                        List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
                    int[] n = {0};
                    int status = c.find(UID.MODALITY_WORKLIST_FIND, keys.get(s), a -> {
                        n[0]++;
                        return true;
                    });
                    c.release();
                    return status == 0 ? n[0] : -1;
                }
            });
        }
        return counter.result("new association per query (connect, C-FIND, release)");
    }

    private interface TimedQuery {
        int run() throws Exception;
    }

    private static final class Counter {
        final long[] nanos;
        int count;
        long matches;
        int min = Integer.MAX_VALUE;
        int max;
        int failures;

        Counter(int queries) {
            nanos = new long[queries];
        }

        void time(boolean measured, TimedQuery q) throws Exception {
            long t0 = System.nanoTime();
            int n = q.run();
            long t = System.nanoTime() - t0;
            if (!measured) {
                return;
            }
            if (n < 0) {
                failures++;
                return;
            }
            nanos[count++] = t;
            matches += n;
            min = Math.min(min, n);
            max = Math.max(max, n);
        }

        Result result(String shape) {
            return new Result(shape, Percentiles.of(nanos, count), count == 0 ? 0 : (double) matches / count,
                    count == 0 ? 0 : min, max, failures);
        }
    }
}
