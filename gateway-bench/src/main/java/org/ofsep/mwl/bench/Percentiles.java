package org.ofsep.mwl.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency summary of a set of samples in nanoseconds (nearest-rank percentiles), reported in milliseconds. */
public record Percentiles(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

    public static Percentiles of(long[] nanos, int count) {
        if (count == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] s = Arrays.copyOf(nanos, count);
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) {
            sum += v;
        }
        return new Percentiles(count, ms(rank(s, 0.50)), ms(rank(s, 0.90)), ms(rank(s, 0.99)), ms(s[count - 1]),
                sum / count / 1e6);
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50_ms", round(p50Ms));
        m.put("p90_ms", round(p90Ms));
        m.put("p99_ms", round(p99Ms));
        m.put("max_ms", round(maxMs));
        m.put("mean_ms", round(meanMs));
        return m;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }
}
