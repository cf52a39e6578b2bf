package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/: the systemd unit verifies with {@code systemd-analyze verify} (scripts/test.sh installs systemd when it
 * is missing), carries the hardening README promises, and starts the gateway with arguments the CLI accepts.
 */
class DeployUnitTest {
    private static final Path UNIT = Path.of("../deploy/mwl-gateway.service");
    private static final Path SYSUSERS = Path.of("../deploy/mwl-gateway.sysusers.conf");

    @Test
    void unitVerifiesWithSystemdAnalyze(@TempDir Path dir) throws Exception {
        Path analyze = executable("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed (Debian package systemd; scripts/test.sh "
                + "installs it): the unit was not verified");
        String unit = Files.readString(UNIT);
        // verify checks that ExecStart's program exists: Debian's java is /usr/bin/java; elsewhere, this JVM's
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            unit = unit.replace("/usr/bin/java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        Path copy = dir.resolve("mwl-gateway.service");
        Files.writeString(copy, unit);
        Run verify = run(analyze.toString(), "verify", copy.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).as("systemd-analyze verify warnings").isBlank();

        // the check is real: a typo in a hardening option is reported
        Path broken = dir.resolve("broken").resolve("mwl-gateway.service");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, unit.replace("NoNewPrivileges=yes", "NoNewPrivileges=maybe"));
        assertThat(run(analyze.toString(), "verify", broken.toString()).output()).contains("Failed to parse boolean value");
    }

    @Test
    void sysusersFileCreatesTheGatewayUser(@TempDir Path root) throws Exception {
        Path sysusers = executable("systemd-sysusers");
        assumeTrue(sysusers != null, "systemd-sysusers is not installed (Debian package systemd)");
        Files.createDirectories(root.resolve("etc"));
        Run dry = run(sysusers.toString(), "--root=" + root, "--dry-run", SYSUSERS.toAbsolutePath().toString());
        assertThat(dry.exit()).as(dry.output()).isZero();
        assertThat(dry.output()).contains("Creating user 'mwl-gateway'");
    }

    @Test
    void unitRunsTheGatewayAsItsOwnUserWithTheHardeningReadmePromises() throws Exception {
        Map<String, List<String>> service = section(Files.readString(UNIT), "Service");
        assertThat(one(service, "User")).isEqualTo("mwl-gateway");
        assertThat(one(service, "Group")).isEqualTo("mwl-gateway");
        assertThat(one(service, "Restart")).isEqualTo("on-failure");
        assertThat(one(service, "NoNewPrivileges")).isEqualTo("yes");
        assertThat(one(service, "ProtectSystem")).isEqualTo("strict");
        assertThat(one(service, "PrivateTmp")).isEqualTo("yes");
        assertThat(one(service, "StandardError")).isEqualTo("journal");
        assertThat(one(service, "StateDirectory")).isEqualTo("mwl-gateway");
        assertThat(one(service, "ConfigurationDirectory")).isEqualTo("mwl-gateway");

        // ExecStart: java -jar gateway.jar serve with arguments the CLI accepts, its data directory writable
        List<String> exec = Arrays.asList(one(service, "ExecStart").split("\\s+"));
        int serve = exec.indexOf("serve");
        assertThat(serve).isPositive();
        // out of heap, the JVM must end (and be restarted) rather than write on with a failed H2 store: a flood of
        // large HL7 frames left the store's file corrupted without it
        assertThat(exec.subList(0, exec.indexOf("-jar"))).contains("-XX:+ExitOnOutOfMemoryError");
        List<String> args = exec.subList(serve, exec.size());
        CommandLine.ParseResult parsed = GatewayCli.commandLine().parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult serveCommand = parsed.subcommand();
        assertThat(serveCommand.commandSpec().name()).isEqualTo("serve");
        String data = serveCommand.matchedOptionValue("--data", Path.of("data")).toString();
        String config = serveCommand.matchedOptionValue("--config", Path.of("config")).toString();
        assertThat(data).isEqualTo("/var/lib/mwl-gateway");
        assertThat(config).isEqualTo("/etc/mwl-gateway");
        assertThat(one(service, "ReadWritePaths").split("\\s+")).containsExactly(data);
        assertThat(one(service, "WorkingDirectory")).isEqualTo(data);
    }

    private static String one(Map<String, List<String>> section, String key) {
        List<String> values = section.getOrDefault(key, List.of());
        assertThat(values).as(key).hasSize(1);
        return values.get(0);
    }

    /** The key=value lines of one [section] of a unit file (comments and blank lines skipped). */
    static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String current = null;
        for (String line : unit.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = line.substring(1, line.indexOf(']'));
            } else if (name.equals(current) && line.contains("=")) {
                int eq = line.indexOf('=');
                values.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    record Run(int exit, String output) {
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    static Path executable(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
