package org.ofsep.mwl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks the figures of a run against the goals of the benchmark issue; a goal whose size was not run is "not measured". */
final class Goals {
    private Goals() {
    }

    static List<Map<String, Object>> evaluate(List<Map<String, Object>> runs, boolean postgres) {
        List<Map<String, Object>> goals = new ArrayList<>();
        Map<String, Object> small = find(runs, 1_000);
        Map<String, Object> mid = find(runs, 10_000);
        Map<String, Object> large = find(runs, 100_000);
        String[] server = {"console_query_in_process", "reused_association", "server_side"};
        String[] client = {"console_query_in_process", "reused_association", "latency"};
        Double p50Large = num(large, concat(server, "p50_ms_at_most"));
        Double p99Large = num(large, concat(server, "p99_ms_at_most"));
        goals.add(goal("console query at 100,000 items, server side p50 (gateway C-FIND timer, bucket bound)", p50Large,
                "<= 5 ms", p50Large == null ? null : p50Large <= 5));
        goals.add(goal("console query at 100,000 items, server side p99 (bucket bound)", p99Large, "<= 20 ms",
                p99Large == null ? null : p99Large <= 20));
        Double meanLarge = num(large, concat(server, "mean_ms"));
        Double meanSmall = num(small, concat(server, "mean_ms"));
        Double growth = meanLarge == null || meanSmall == null ? null : Percentiles.round(meanLarge / meanSmall);
        goals.add(goal("console query server side mean at 100,000 / at 1,000", growth, "<= 2",
                growth == null ? null : growth <= 2));
        Double cp50 = num(large, concat(client, "p50_ms"));
        Double cp99 = num(large, concat(client, "p99_ms"));
        Double cp50Small = num(small, concat(client, "p50_ms"));
        goals.add(goal("(client side, in-process SCU) console query p50 at 100,000 items", cp50, "<= 5 ms",
                cp50 == null ? null : cp50 <= 5));
        goals.add(goal("(client side) console query p99 at 100,000 items", cp99, "<= 20 ms",
                cp99 == null ? null : cp99 <= 20));
        Double cgrowth = cp50 == null || cp50Small == null ? null : Percentiles.round(cp50 / cp50Small);
        goals.add(goal("(client side) console query p50 at 100,000 / at 1,000", cgrowth, "<= 2",
                cgrowth == null ? null : cgrowth <= 2));
        Double selLarge = num(large, "console_query_in_process", "selective_by_accession", "server_side", "mean_ms");
        Double selSmall = num(small, "console_query_in_process", "selective_by_accession", "server_side", "mean_ms");
        Double selGrowth = selLarge == null || selSmall == null ? null : Percentiles.round(selLarge / selSmall);
        goals.add(goal("(same index path, constant answer) query by accession, server side mean at 100,000 / at 1,000",
                selGrowth, "<= 2", selGrowth == null ? null : selGrowth <= 2));
        for (String peer : List.of("wlmscpfs", "orthanc")) {
            Double ratio = num(mid, "whole_process", "ratios", peer + "_over_gateway");
            goals.add(goal("findscu -W at 10,000 items: " + peer + " time / gateway time", ratio, ">= 3",
                    ratio == null ? null : ratio >= 3));
        }
        for (Map<String, Object> r : runs) {
            Object n = r.get("items");
            Double rate = num(r, "intake", "four_connections", "orders_per_s");
            double target = postgres ? 500 : 1000;
            goals.add(goal("HL7 intake over 4 connections, " + (postgres ? "PostgreSQL" : "embedded store") + ", at "
                    + n + " orders", rate, ">= " + (int) target + "/s", rate == null ? null : rate >= target));
        }
        for (Map<String, Object> r : runs) {
            Double p99 = num(r, "intake", "paced", "ack_latency", "p99_ms");
            Double rate = num(r, "intake", "paced", "paced_rate_per_s");
            goals.add(goal("ACK p99 at " + (rate == null ? "?" : rate.intValue()) + " orders/s, " + r.get("items")
                    + " orders", p99, "<= 50 ms", p99 == null ? null : p99 <= 50));
        }
        Double heap = num(large, "heap_after_load", "used_after_full_gc_mb");
        goals.add(goal("heap used after loading 100,000 items (after full GC)", heap, "<= 256 MB",
                heap == null ? null : heap <= 256));
        Double heapRaw = num(large, "heap_after_load", "used_mb");
        goals.add(goal("heap used after loading 100,000 items (as found, before GC)", heapRaw, "<= 256 MB",
                heapRaw == null ? null : heapRaw <= 256));
        for (Map<String, Object> r : runs) {
            for (String which : List.of("startup_empty", "startup_with_items")) {
                Double ms = num(r, which, "ready_ms");
                goals.add(goal("start-up to ready, " + (which.equals("startup_empty") ? "empty store" : r.get("items")
                        + " items"), ms, "<= 5000 ms", ms == null ? null : ms <= 5000));
            }
        }
        return goals;
    }

    static Map<String, Object> goal(String what, Double value, String target, Boolean met) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("goal", what);
        g.put("value", value == null ? "not measured" : value);
        g.put("target", target);
        g.put("met", met == null ? "not measured" : met);
        return g;
    }

    static Map<String, Object> find(List<Map<String, Object>> runs, int items) {
        for (Map<String, Object> r : runs) {
            if (r.get("items") instanceof Integer n && n == items) {
                return r;
            }
        }
        return null;
    }

    private static String[] concat(String[] path, String last) {
        String[] p = java.util.Arrays.copyOf(path, path.length + 1);
        p[path.length] = last;
        return p;
    }

    static Double num(Map<String, Object> root, String... path) {
        Object o = root;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(p);
        }
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static Object get(Map<String, Object> root, String... path) {
        Object o = root;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(p);
        }
        return o;
    }
}
