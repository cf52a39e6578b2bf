package org.ofsep.mwl.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap of the gateway process read with {@code jcmd <pid> GC.heap_info}: once as it is, then after a full
 * collection ({@code jcmd <pid> GC.run}), which leaves the live set (what the items, caches and the running
 * services really hold).
 */
final class Heap {
    private static final Pattern HEAP = Pattern.compile("heap\\s+total (?:reserved )?(\\d+)K, (?:committed \\d+K, )?used (\\d+)K");

    private Heap() {
    }

    static Map<String, Object> read(long pid) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_with", "jcmd " + pid + " GC.heap_info, before and after jcmd GC.run");
        String jcmd = Processes.which("jcmd");
        if (jcmd == null) {
            jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        }
        Processes.Run before = Processes.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), 60);
        Processes.run(List.of(jcmd, String.valueOf(pid), "GC.run"), 120);
        Processes.Run after = Processes.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), 60);
        long[] b = parse(before.output());
        long[] a = parse(after.output());
        if (b == null || a == null) {
            m.put("error", "could not read jcmd output: " + before.output().strip());
            return m;
        }
        m.put("used_mb", b[1] / 1024);
        m.put("used_after_full_gc_mb", a[1] / 1024);
        m.put("committed_after_full_gc_mb", a[0] / 1024);
        return m;
    }

    private static long[] parse(String output) {
        Matcher h = HEAP.matcher(output);
        if (!h.find()) {
            return null;
        }
        return new long[] {Long.parseLong(h.group(1)), Long.parseLong(h.group(2))};
    }
}
