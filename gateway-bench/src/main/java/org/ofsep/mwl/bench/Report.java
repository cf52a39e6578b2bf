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
        rows.add(row(runs, "console query, reused assoc. p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "latency", "p99_ms"))));
        rows.add(row(runs, "  server side p50 / p99 <= (mean) (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "reused_association", "server_side", "p50_ms_at_most")) + " / " + fmt(Goals.num(r,
                "console_query_in_process", "reused_association", "server_side", "p99_ms_at_most")) + " (mean " + fmt(Goals.num(r,
                "console_query_in_process", "reused_association", "server_side", "mean_ms")) + ")"));
        rows.add(row(runs, "1 order by accession p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "selective_by_accession", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "selective_by_accession", "latency", "p99_ms"))));
        rows.add(row(runs, "  server side p50 / p99 <= (mean) (ms) ", r -> fmt(Goals.num(r, "console_query_in_process",
                "selective_by_accession", "server_side", "p50_ms_at_most")) + " / " + fmt(Goals.num(r,
                "console_query_in_process", "selective_by_accession", "server_side", "p99_ms_at_most")) + " (mean " + fmt(Goals.num(r,
                "console_query_in_process", "selective_by_accession", "server_side", "mean_ms")) + ")"));
        rows.add(row(runs, "console query, assoc. per query p50 / p99 (ms)", r -> fmt(Goals.num(r, "console_query_in_process",
                "association_per_query", "latency", "p50_ms")) + " / " + fmt(Goals.num(r, "console_query_in_process",
                "association_per_query", "latency", "p99_ms"))));

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
        table(rows, out);
        out.println("[n] after a findscu figure: items that findscu received.");
        goals(results, out);
    }

    /** The peak scenario's table: one column per size, then the goals. */
    @SuppressWarnings("unchecked")
    static void printPeak(Map<String, Object> results, PrintStream out) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) results.get("runs");
        out.println();
        out.println("MWL Gateway benchmark, peak scenario, " + results.get("date") + ", " + results.get("machine"));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(runs, "items in the store before the peak", r -> String.valueOf(r.get("items"))));
        rows.add(row(runs, "consoles (one association per refresh)", r -> fmt(Goals.num(r, "peak", "consoles"))));
        rows.add(row(runs, "refresh period (ms) / peak (s)", r -> fmt(Goals.num(r, "peak", "refresh_period_ms")) + " / "
                + fmt(Goals.num(r, "peak", "seconds"))));
        rows.add(row(runs, "queries / items per query", r -> fmt(Goals.num(r, "peak", "queries")) + " / "
                + fmt(Goals.num(r, "peak", "items_per_query_mean"))));
        rows.add(row(runs, "console query p50 / p99 (ms)", r -> fmt(Goals.num(r, "peak", "query_latency", "p50_ms"))
                + " / " + fmt(Goals.num(r, "peak", "query_latency", "p99_ms"))));
        rows.add(row(runs, "  worst console's p99 (ms)", r -> fmt(Goals.num(r, "peak", "query_p99_worst_console_ms"))));
        rows.add(row(runs, "  server side p50 / p99 <= (ms)", r -> fmt(Goals.num(r, "peak", "server_side",
                "p50_ms_at_most")) + " / " + fmt(Goals.num(r, "peak", "server_side", "p99_ms_at_most"))));
        rows.add(row(runs, "whole refresh p50 / p99 (ms)", r -> fmt(Goals.num(r, "peak", "refresh_latency", "p50_ms"))
                + " / " + fmt(Goals.num(r, "peak", "refresh_latency", "p99_ms"))));
        rows.add(row(runs, "associations refused / queries failed", r -> fmt(Goals.num(r, "peak",
                "associations_refused")) + " / " + fmt(Goals.num(r, "peak", "queries_failed"))));
        rows.add(row(runs, "orders during the peak (orders/s)", r -> fmt(Goals.num(r, "peak", "intake", "orders"))
                + " (" + fmt(Goals.num(r, "peak", "intake", "orders_per_s")) + ")"));
        rows.add(row(runs, "  ACK p50 / p99 (ms)", r -> fmt(Goals.num(r, "peak", "intake", "ack_latency", "p50_ms"))
                + " / " + fmt(Goals.num(r, "peak", "intake", "ack_latency", "p99_ms"))));
        rows.add(row(runs, "gateway CPU, mean cores", r -> fmt(Goals.num(r, "peak", "gateway_cpu_cores_mean"))));
        rows.add(row(runs, "gateway GC pauses: count / total / longest (ms)", r -> fmt(Goals.num(r, "peak", "gc_pauses",
                "count")) + " / " + fmt(Goals.num(r, "peak", "gc_pauses", "total_ms")) + " / "
                + fmt(Goals.num(r, "peak", "gc_pauses", "longest_ms_last_2_min"))));
        rows.add(row(runs, "load generator CPU, mean cores", r -> fmt(Goals.num(r, "peak",
                "load_generator_cpu_cores_mean"))));
        rows.add(row(runs, "heap at the end / after full GC (MB)", r -> fmt(Goals.num(r, "peak", "heap_at_end",
                "used_mb")) + " / " + fmt(Goals.num(r, "peak", "heap_at_end", "used_after_full_gc_mb"))));
        table(rows, out);
        goals(results, out);
    }

    /** The regional scenario's table: one column per size, then the goals. */
    @SuppressWarnings("unchecked")
    static void printRegional(Map<String, Object> results, PrintStream out) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) results.get("runs");
        out.println();
        out.println("MWL Gateway benchmark, regional scenario, " + results.get("date") + ", " + results.get("machine"));
        out.println("store: " + results.get("store"));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(runs, "orders loaded", r -> String.valueOf(r.get("items"))));
        rows.add(row(runs, "  of which bulk-loaded (setup, not measured)", r -> r.get("bulk_loaded") instanceof Map<?, ?> b
                ? String.valueOf(b.get("orders")) : "0"));
        rows.add(row(runs, "  through MLLP (the measured intake)", r -> fmt(Goals.num(r, "load", "combined_orders"))));
        rows.add(row(runs, "combined intake (orders/s)", r -> fmt(Goals.num(r, "load", "combined_orders_per_s"))));
        List<String> instances = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            if (r.get("peak") instanceof Map<?, ?> peak) {
                for (Object k : peak.keySet()) {
                    if (!instances.contains(String.valueOf(k))) {
                        instances.add(String.valueOf(k));
                    }
                }
            }
        }
        for (String inst : instances) {
            String name = inst.replace("instance_", "instance ");
            rows.add(row(runs, name + ": load (orders/s), ACK p99 (ms)", r -> fmt(Goals.num(r, "load", inst,
                    "orders_per_s")) + ", " + fmt(Goals.num(r, "load", inst, "ack_latency", "p99_ms"))));
            rows.add(row(runs, "  peak: consoles, queries [items/query]", r -> fmt(Goals.num(r, "peak", inst,
                    "consoles")) + ", " + fmt(Goals.num(r, "peak", inst, "queries")) + " [" + fmt(Goals.num(r, "peak",
                    inst, "items_per_query_mean")) + "]"));
            rows.add(row(runs, "  console query p50 / p99 (ms)", r -> fmt(Goals.num(r, "peak", inst, "query_latency",
                    "p50_ms")) + " / " + fmt(Goals.num(r, "peak", inst, "query_latency", "p99_ms"))));
            rows.add(row(runs, "  server side p50 / p99 <= (ms)", r -> fmt(Goals.num(r, "peak", inst, "server_side",
                    "p50_ms_at_most")) + " / " + fmt(Goals.num(r, "peak", inst, "server_side", "p99_ms_at_most"))));
            rows.add(row(runs, "  associations refused", r -> fmt(Goals.num(r, "peak", inst, "associations_refused"))));
            rows.add(row(runs, "  peak orders ACK p99 (ms)", r -> fmt(Goals.num(r, "peak", inst, "intake", "ack_latency",
                    "p99_ms"))));
            rows.add(row(runs, "  CPU mean cores, heap after full GC (MB)", r -> fmt(Goals.num(r, "peak", inst,
                    "gateway_cpu_cores_mean")) + ", " + fmt(Goals.num(r, "peak", inst, "heap_at_end",
                    "used_after_full_gc_mb"))));
            rows.add(row(runs, "  housekeeping runs (stale closed)", r -> fmt(Goals.num(r, "housekeeping_runs", inst,
                    "runs")) + " (" + fmt(Goals.num(r, "housekeeping_runs", inst, "stale_steps_closed")) + ")"));
        }
        for (String t : List.of("worklist_item", "item_protocol_code", "item_review", "hl7_message",
                "decision_history")) {
            rows.add(row(runs, "store: " + t + " rows, MB (of which indexes)", r -> fmt(Goals.num(r, "store_size", t,
                    "rows")) + ", " + fmt(Goals.num(r, "store_size", t, "total_mb")) + " (" + fmt(Goals.num(r,
                    "store_size", t, "indexes_mb")) + ")"));
        }
        table(rows, out);
        goals(results, out);
    }

    private static void table(List<String[]> rows, PrintStream out) {
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
    }

    @SuppressWarnings("unchecked")
    private static void goals(Map<String, Object> results, PrintStream out) {
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
