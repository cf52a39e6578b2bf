package org.ofsep.mwl.dicom.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs dcmtk command-line tools (an independent DICOM implementation) for interoperability tests. dcmtk is a
 * required test peer: scripts/test.sh installs it; a missing tool fails the test with that advice.
 */
public final class Dcmtk {

    /** Output and exit code of one run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String stdoutLatin1() {
            return new String(stdout, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        public String stdoutUtf8() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Dcmtk() {
    }

    /** A dcmtk tool by its Debian path (pynetdicom installs commands with the same names elsewhere on PATH). */
    public static Path tool(String name) {
        Path p = Path.of("/usr/bin", name);
        if (Files.isExecutable(p)) {
            return p;
        }
        throw new AssertionError(name + " (dcmtk) not found at " + p + ": run scripts/test.sh, which installs dcmtk");
    }

    /** Runs a tool to completion (bounded wait), in {@code dir}. */
    public static Result run(Path dir, String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool(name).toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, name, ".out");
        Path err = Files.createTempFile(dir, name, ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    /** Starts a long-running tool (e.g. wlmscpfs); the caller destroys it. */
    public static Process start(Path dir, Path log, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool(name).toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }
}
