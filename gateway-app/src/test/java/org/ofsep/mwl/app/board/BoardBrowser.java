package org.ofsep.mwl.app.board;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the node scripts in src/test/resources/board (playwright-core driving Debian's headless Chromium)
 * and returns the JSON line it printed. Chromium, node and interop/node_modules are requirements, not options:
 * scripts/test.sh installs them, and a missing one fails the test with the command that fixes it.
 */
final class BoardBrowser {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private BoardBrowser() {
    }

    /** The repository root: the first directory up from here that holds interop/package.json. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop/package.json"))) {
                return dir;
            }
        }
        return fail("no interop/package.json above " + Path.of("").toAbsolutePath());
    }

    /** gateway-app/target, where the screenshots go. */
    static Path target() throws IOException {
        return Files.createDirectories(repoRoot().resolve("gateway-app/target"));
    }

    static JsonNode run(String script, String... args) throws IOException, InterruptedException {
        Path root = repoRoot();
        Path modules = root.resolve("interop/node_modules");
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": install it with `apt-get install -y chromium` "
                    + "(scripts/test.sh does)");
        }
        if (!Files.isRegularFile(modules.resolve("playwright-core/package.json"))) {
            fail("playwright-core is missing in " + modules + ": run `npm ci` in " + root.resolve("interop"));
        }
        Path scriptPath = root.resolve("gateway-app/src/test/resources/board").resolve(script);
        Path out = Files.createTempFile(target(), script, ".out");
        Path err = Files.createTempFile(target(), script, ".err");
        List<String> command = new ArrayList<>(List.of("node", scriptPath.toString(), modules.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(root.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            return fail("node is missing (" + e.getMessage() + "): install Node.js 20 (scripts/test.sh does)");
        }
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(script + " did not finish in 120 s; stderr:\n" + Files.readString(err));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (stdout.isEmpty()) {
                fail(script + " printed nothing (exit " + process.exitValue() + "); stderr:\n" + stderr);
            }
            JsonNode seen = JSON.readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
            if (process.exitValue() != 0 || seen.has("error")) {
                fail(script + " failed (exit " + process.exitValue() + "): " + seen.path("error").asText()
                        + "\nstderr:\n" + stderr);
            }
            return seen;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** "rgb(179, 38, 30)": clearly red, whatever the exact shade. */
    static boolean isRed(String cssColor) {
        var m = java.util.regex.Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)").matcher(cssColor);
        if (!m.find()) {
            return false;
        }
        int r = Integer.parseInt(m.group(1));
        int g = Integer.parseInt(m.group(2));
        int b = Integer.parseInt(m.group(3));
        return r >= 150 && g <= 80 && b <= 80;
    }
}
