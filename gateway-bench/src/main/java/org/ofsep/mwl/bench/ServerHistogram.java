package org.ofsep.mwl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own C-FIND timer from /metrics ({@code mwl_cfind_duration_seconds}: query start to the last item
 * streamed), as percentile histogram buckets: p50 and p99 are the upper bounds of the buckets that hold them, over
 * every C-FIND since the gateway started.
 */
final class ServerHistogram {
    private static final Pattern BUCKET = Pattern.compile("^mwl_cfind_duration_seconds_bucket\\{.*le=\"([^\"]+)\".*}\\s+(\\S+)$");
    private static final Pattern COUNT = Pattern.compile("^mwl_cfind_duration_seconds_(count|sum)(?:\\{.*})?\\s+(\\S+)$");

    private ServerHistogram() {
    }

    static Object cfind(int httpPort) {
        String[] metrics = Processes.get(httpPort, "/metrics");
        if (metrics == null || !metrics[0].equals("200")) {
            return "no /metrics";
        }
        List<double[]> buckets = new ArrayList<>();
        double count = 0;
        double sum = 0;
        for (String line : metrics[1].split("\n")) {
            Matcher b = BUCKET.matcher(line);
            if (b.matches()) {
                double le = b.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.group(1));
                buckets.add(new double[] {le, Double.parseDouble(b.group(2))});
                continue;
            }
            Matcher c = COUNT.matcher(line);
            if (c.matches()) {
                if (c.group(1).equals("count")) {
                    count = Double.parseDouble(c.group(2));
                } else {
                    sum = Double.parseDouble(c.group(2));
                }
            }
        }
        if (count == 0 || buckets.isEmpty()) {
            return "no C-FIND timer in /metrics";
        }
        buckets.sort((x, y) -> Double.compare(x[0], y[0]));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "/metrics mwl_cfind_duration_seconds (bucket upper bounds, all C-FINDs since start)");
        m.put("count", (long) count);
        m.put("mean_ms", Percentiles.round(sum / count * 1000));
        m.put("p50_ms_at_most", bound(buckets, count * 0.50));
        m.put("p99_ms_at_most", bound(buckets, count * 0.99));
        return m;
    }

    private static double bound(List<double[]> buckets, double rank) {
        for (double[] b : buckets) {
            if (b[1] >= rank) {
                return Percentiles.round(b[0] * 1000);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
