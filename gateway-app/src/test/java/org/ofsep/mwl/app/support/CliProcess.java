package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a gateway command in its own JVM ({@code java -cp <test classpath> org.ofsep.mwl.app.GatewayCli ...}), as an
 * admin runs the jar beside a running gateway: another process, so the embedded store is reached as another
 * process reaches it.
 */
public final class CliProcess {

    /** Exit code, standard output and standard error of one command. */
    public record Result(int exit, String out, String err) {
    }

    private CliProcess() {
    }

    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.ofsep.mwl.app.GatewayCli"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "cli", ".out");
        Path err = Files.createTempFile(workDir, "cli", ".err");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gateway " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
