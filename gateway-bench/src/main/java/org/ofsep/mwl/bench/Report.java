package org.ofsep.mwl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The stdout table: one column per size, one row per figure, then the goals. */
final class Report {
    private Report() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> results, PrintStream out) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) results.get("runs");
        out.println();
        out.println("MWL Gateway benchmark, " + results.get("date") + ", " + results.get("machine"));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(runs, "items in the store", r -> String.valueOf(r.get("items"))));
        rows.add(row(runs, "start-up to ready, empty (ms)", r -> fmt(Goals.num(r, "startup_empty", "ready_ms"))));
        rows.add(row(runs, "start-up to ready, with items (ms)", r -> fmt(Goals.num(r, "startup_with_items", "ready_ms"))));
        for (String[] phase : new String[][] {{"one_connection", "1 conn"}, {"four_connections", "4 conn"},
            {"paced", "paced"}}) {
            rows.add(row(runs, "HL7 intake " + phase[1] + " (orders/s)",
                    r -> fmt(Goals.num(r, "intake", phase[0], "orders_per_s"))));
            rows.add(row(runs, "  ACK p50 / p99 (ms)", r -> fmt(Goals.num(r, "intake", phase[0], "ack_latency", "p50_ms"))
                    + " / " + fmt(Goals.num(r, "intake", phase[0], "ack_latency", "p99_ms"))));
        }
        rows.add(row(runs, "heap used / after full GC (MB)", r -> fmt(Goals.num(r, "heap_after_load", "used_mb")) + " / "
                + fmt(Goals.num(r, "heap_after_load", "used_after_full_gc_mb"))));
        rows.add(row(runs, "console query items returned", r -> fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "matches_per_query_mean"))));
        rows.add(row(runs, "query, reused assoc. p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "latency", "p99_ms"))));
        rows.add(row(runs, "1 order by accession p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "selective_by_accession", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "selective_by_accession", "latency", "p99_ms"))));
        rows.add(row(runs, "query, assoc. per query p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "association_per_query", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "association_per_query", "latency", "p99_ms"))));
        rows.add(row(runs, "server C-FIND timer p50 / p99 <= (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "server_histogram", "p50_ms_at_most")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "server_histogram", "p99_ms_at_most"))));
        rows.add(row(runs, "echoscu -> gateway, median (ms)", r -> fmt(Goals.num(r, "whole_process",
                "echoscu_gateway_floor", "median_ms"))));
        for (String s : new String[] {"gateway", "wlmscpfs", "orthanc"}) {
            rows.add(row(runs, "findscu -W -> " + s + ", median (ms)", r -> fmt(Goals.num(r, "whole_process", s,
                    "median_ms")) + " [" + fmt(Goals.num(r, "whole_process", s, "items_returned")) + "]"));
        }
        rows.add(row(runs, "  wlmscpfs / gateway", r -> fmt(Goals.num(r, "whole_process", "ratios",
                "wlmscpfs_over_gateway")) + "x"));
        rows.add(row(runs, "  orthanc / gateway", r -> fmt(Goals.num(r, "whole_process", "ratios",
                "orthanc_over_gateway")) + "x"));
        rows.add(row(runs, "export --wl (s)", r -> fmt(Goals.num(r, "export_wl", "seconds"))));
        int w0 = 0;
        int w = 12;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            for (int i = 1; i < r.length; i++) {
                w = Math.max(w, r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder(String.format("%-" + w0 + "s", r[0]));
            for (int i = 1; i < r.length; i++) {
                b.append(" | ").append(String.format("%" + w + "s", r[i]));
            }
            out.println(b);
        }
        out.println("[n] after a findscu figure: items that findscu received.");
        out.println();
        out.println("Goals:");
        for (Map<String, Object> g : (List<Map<String, Object>>) results.get("goals")) {
            Object met = g.get("met");
            String mark = Boolean.TRUE.equals(met) ? "MET   " : Boolean.FALSE.equals(met) ? "MISSED" : "n/a   ";
            out.printf("  %s %s: %s (target %s)%n", mark, g.get("goal"), g.get("value") instanceof Double d
                    ? fmt(d) : g.get("value"), g.get("target"));
        }
    }

    private static String[] row(List<Map<String, Object>> runs, String label,
                                java.util.function.Function<Map<String, Object>, String> f) {
        String[] r = new String[runs.size() + 1];
        r[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            r[i + 1] = f.apply(runs.get(i));
        }
        return r;
    }

    static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf(v.longValue());
        }
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : Math.abs(v) >= 10 ? String.format("%.1f", v)
                : String.format("%.2f", v);
    }
}
