package org.ofsep.mwl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times a whole command-line process (findscu, echoscu) from start to exit: with hyperfine when it is on the PATH
 * (no shell, warm-up runs first), otherwise by running it {@code runs} times and taking the median wall time.
 */
final class ProcessTiming {

    record Result(String tool, int runs, double medianMs, double meanMs, double minMs, double maxMs, int failures) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("timed_with", tool);
            m.put("runs", runs);
            m.put("median_ms", Percentiles.round(medianMs));
            m.put("mean_ms", Percentiles.round(meanMs));
            m.put("min_ms", Percentiles.round(minMs));
            m.put("max_ms", Percentiles.round(maxMs));
            if (failures > 0) {
                m.put("failed_runs", failures);
            }
            return m;
        }
    }

    private ProcessTiming() {
    }

    static Result time(List<String> command, int runs, int warmup, Path workDir) throws Exception {
        for (String arg : command) {
            if (arg.contains(" ") || arg.contains("'") || arg.contains("\"")) {
                return loop(command, runs, warmup); // hyperfine -N splits the command on blanks
            }
        }
        if (Processes.onPath("hyperfine")) {
            Path json = Files.createTempFile(workDir, "hyperfine", ".json");
            List<String> hf = new ArrayList<>(List.of("hyperfine", "-N", "--style", "none", "--warmup",
                    String.valueOf(warmup), "--runs", String.valueOf(runs), "--export-json", json.toString(),
                    String.join(" ", command)));
            Processes.Run run = Processes.run(hf, 3600);
            if (run.exit() == 0) {
                JsonNode r = new ObjectMapper().readTree(json.toFile()).path("results").path(0);
                int failures = 0;
                for (JsonNode code : r.path("exit_codes")) {
                    if (code.asInt() != 0) {
                        failures++;
                    }
                }
                return new Result("hyperfine", r.path("times").size(), r.path("median").asDouble() * 1000,
                        r.path("mean").asDouble() * 1000, r.path("min").asDouble() * 1000,
                        r.path("max").asDouble() * 1000, failures);
            }
            System.err.println("hyperfine failed (" + run.exit() + "), timing with a loop: " + run.output());
        }
        return loop(command, runs, warmup);
    }

    private static Result loop(List<String> command, int runs, int warmup) throws Exception {
        double[] ms = new double[runs];
        int failures = 0;
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int exit = p.waitFor();
            double t = (System.nanoTime() - t0) / 1e6;
            if (i >= warmup) {
                ms[i - warmup] = t;
                if (exit != 0) {
                    failures++;
                }
            }
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = runs % 2 == 1 ? s[runs / 2] : (s[runs / 2 - 1] + s[runs / 2]) / 2;
        return new Result("median of " + runs + " runs", runs, median, Arrays.stream(s).average().orElse(0), s[0],
                s[runs - 1], failures);
    }
}
