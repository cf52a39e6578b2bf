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
    /** ZGC: " ZHeap           used 52M, capacity 378M, max capacity 6028M". */
    private static final Pattern ZGC = Pattern.compile("ZHeap\\s+used (\\d+)M, capacity (\\d+)M");
    /** Shenandoah: " 6028M max, 6028M soft max, 378M committed, 20480K used". */
    private static final Pattern SHENANDOAH = Pattern.compile("(\\d+)([KMG]) committed, (\\d+)([KMG]) used");

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

    /** {committed or capacity, used} in KB, from G1's, Parallel's, Serial's, ZGC's or Shenandoah's output. */
    static long[] parse(String output) {
        Matcher h = HEAP.matcher(output);
        if (h.find()) {
            return new long[] {Long.parseLong(h.group(1)), Long.parseLong(h.group(2))};
        }
        Matcher z = ZGC.matcher(output);
        if (z.find()) {
            return new long[] {Long.parseLong(z.group(2)) * 1024, Long.parseLong(z.group(1)) * 1024};
        }
        Matcher sh = SHENANDOAH.matcher(output);
        if (sh.find()) {
            return new long[] {kb(sh.group(1), sh.group(2)), kb(sh.group(3), sh.group(4))};
        }
        return null;
    }

    private static long kb(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "G" -> v * 1024 * 1024;
            case "M" -> v * 1024;
            default -> v;
        };
    }
}
