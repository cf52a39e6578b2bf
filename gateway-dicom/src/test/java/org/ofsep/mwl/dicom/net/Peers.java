package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent peers (dcmtk tools, node with dcmjs-dimse). A missing peer fails the test: the
 * interoperability proof must not silently disappear (scripts/test.sh installs them).
 */
public final class Peers {

    public record Result(int exitCode, String output) {
    }

    private Peers() {
    }

    public static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(workDir, command, java.util.Map.of());
    }

    /** Runs a dcmjs-dimse script from src/test/resources/interop with node, NODE_PATH on interop/node_modules. */
    public static Result node(String script, String... args) throws IOException, InterruptedException {
        Path modules = Path.of("..", "interop", "node_modules").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(modules.resolve("dcmjs-dimse"))) {
            throw new AssertionError("dcmjs-dimse is not installed in " + modules + ": run npm install in interop/ (scripts/test.sh does)");
        }
        Path dir;
        try {
            dir = Path.of(Peers.class.getResource("/interop/" + script).toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> cmd = cmd("node", script);
        cmd.addAll(List.of(args));
        return run(dir, cmd, java.util.Map.of("NODE_PATH", modules.toString()));
    }

    public static Result run(Path workDir, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        command = dcmtkByDebianPath(command);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("peer " + command.get(0) + " is not installed (scripts/test.sh installs dcmtk and node)", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("peer timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(null, List.of(command));
    }

    /** dcmtk's command-line tools, run by their Debian path: pynetdicom installs commands with the same names. */
    static final java.util.Set<String> DCMTK_TOOLS = java.util.Set.of("findscu", "echoscu", "storescu", "storescp",
            "dump2dcm", "dcmdump", "dcmqrscp", "movescu", "getscu", "wlmscpfs", "dcmodify");

    /** The command with a bare dcmtk tool name replaced by /usr/bin/NAME (where scripts/test.sh installs it). */
    public static List<String> dcmtkByDebianPath(List<String> command) {
        if (command.isEmpty() || !DCMTK_TOOLS.contains(command.get(0))) {
            return command;
        }
        List<String> out = new ArrayList<>(command);
        out.set(0, org.ofsep.mwl.dicom.file.Dcmtk.tool(command.get(0)).toString());
        return out;
    }

    public static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
