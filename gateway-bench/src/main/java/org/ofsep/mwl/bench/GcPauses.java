package org.ofsep.mwl.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's collector pauses from /metrics ({@code jvm_gc_pause_seconds}, every collector and cause summed):
 * two scrapes around a phase give how many pauses it had and how long they stopped the gateway in all; the longest
 * is Micrometer's maximum, over its window of the last two minutes (so the phase and up to a minute before it).
 */
final class GcPauses {
    private static final Pattern LINE = Pattern.compile("^jvm_gc_pause_seconds_(count|sum|max)\\{.*}\\s+(\\S+)$");

    /** One scrape. */
    record Snapshot(double count, double sum, double max) {
    }

    private GcPauses() {
    }

    /** The pauses in a /metrics answer ({@link Processes#get}: status and body), or null. */
    static Snapshot of(String[] metrics) {
        if (metrics == null || !metrics[0].equals("200")) {
            return null;
        }
        return parse(metrics[1]);
    }

    static Snapshot parse(String metrics) {
        double count = 0;
        double sum = 0;
        double max = 0;
        for (String line : metrics.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            double v = Double.parseDouble(m.group(2));
            switch (m.group(1)) {
                case "count" -> count += v;
                case "sum" -> sum += v;
                default -> max = Math.max(max, v);
            }
        }
        return new Snapshot(count, sum, max); // no pause yet: all zero
    }

    /** The pauses between two scrapes. */
    static Object between(Snapshot before, Snapshot after) {
        if (before == null || after == null) {
            return "no /metrics";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "gateway /metrics jvm_gc_pause_seconds, difference of two scrapes around this phase");
        m.put("count", (long) (after.count() - before.count()));
        m.put("total_ms", Percentiles.round((after.sum() - before.sum()) * 1000));
        m.put("longest_ms_last_2_min", Percentiles.round(after.max() * 1000));
        return m;
    }
}
