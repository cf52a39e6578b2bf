package org.ofsep.mwl.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own C-FIND timer from /metrics ({@code mwl_cfind_duration_seconds}: from the request to the last
 * item streamed, measured inside the gateway), as a percentile histogram. Two scrapes around a phase give that
 * phase's queries alone; p50 and p99 are the upper bounds of the buckets that hold them (Micrometer's buckets are
 * about 10 to 25 % apart in this range), the mean is exact.
 */
final class ServerHistogram {
    private static final Pattern BUCKET = Pattern.compile("^mwl_cfind_duration_seconds_bucket\\{.*le=\"([^\"]+)\".*}\\s+(\\S+)$");
    private static final Pattern TOTAL = Pattern.compile("^mwl_cfind_duration_seconds_(count|sum)(?:\\{.*})?\\s+(\\S+)$");

    /** One scrape: cumulative bucket counts by upper bound (seconds), count and sum. */
    record Snapshot(TreeMap<Double, Double> buckets, double count, double sum) {
    }

    private ServerHistogram() {
    }

    static Snapshot scrape(int httpPort) {
        return of(Processes.get(httpPort, "/metrics"));
    }

    /** The histogram in a /metrics answer ({@link Processes#get}: status and body), or null. */
    static Snapshot of(String[] metrics) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        if (metrics == null || !metrics[0].equals("200")) {
            return null;
        }
        for (String line : metrics[1].split("\n")) {
            Matcher b = BUCKET.matcher(line);
            if (b.matches()) {
                double le = b.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.group(1));
                buckets.merge(le, Double.parseDouble(b.group(2)), Double::sum);
                continue;
            }
            Matcher c = TOTAL.matcher(line);
            if (c.matches()) {
                if (c.group(1).equals("count")) {
                    count += Double.parseDouble(c.group(2));
                } else {
                    sum += Double.parseDouble(c.group(2));
                }
            }
        }
        return buckets.isEmpty() ? null : new Snapshot(buckets, count, sum);
    }

    /** The C-FINDs between two scrapes. */
    static Object between(Snapshot before, Snapshot after) {
        if (before == null || after == null) {
            return "no mwl_cfind_duration_seconds histogram in /metrics";
        }
        double count = after.count() - before.count();
        if (count <= 0) {
            return "no C-FIND counted";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "gateway /metrics mwl_cfind_duration_seconds, difference of two scrapes around this phase");
        m.put("count", (long) count);
        m.put("mean_ms", Percentiles.round((after.sum() - before.sum()) / count * 1000));
        m.put("p50_ms_at_most", bound(before, after, count * 0.50));
        m.put("p99_ms_at_most", bound(before, after, count * 0.99));
        return m;
    }

    private static double bound(Snapshot before, Snapshot after, double rank) {
        for (Map.Entry<Double, Double> e : after.buckets().entrySet()) {
            double n = e.getValue() - before.buckets().getOrDefault(e.getKey(), 0.0);
            if (n >= rank) {
                return Percentiles.round(e.getKey() * 1000);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
