package org.ofsep.mwl.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.ofsep.mwl.bench.BenchStations;
import org.ofsep.mwl.bench.OrderGenerator;
import org.ofsep.mwl.core.mapping.MappingHolder;

/**
 * What the micro-benchmarks share: the shipped mapping with the benchmark's ten stations (from the config
 * directory named by {@code -Dbench.config}, default {@code config}, so run them from the repository root), and
 * the generated orders of scripts/bench.sh.
 */
final class Fixture {
    static final LocalDate TODAY = LocalDate.now();

    private Fixture() {
    }

    static {
        // the order service logs each order at INFO: in a micro-benchmark that is only noise
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    static Path configDir() throws IOException {
        Path target = Files.createTempDirectory("mwl-jmh-config");
        BenchStations.writeConfig(Path.of(System.getProperty("bench.config", "config")), target);
        return target;
    }

    static MappingHolder mapping(Path configDir) {
        return new MappingHolder(configDir.resolve("mapping.yaml"), Duration.ZERO, Clock.systemUTC());
    }

    static List<String> orders(int n) {
        return new OrderGenerator(TODAY, 30, 20261125L).orders(0, n, n);
    }

    /** Deletes a benchmark's temporary data directory. */
    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
