package org.ofsep.mwl.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small process and network helpers for the benchmark driver. */
final class Processes {
    private Processes() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the port accepts TCP connections; false after {@code timeoutMillis} or when the process ended. */
    static boolean awaitPort(Process p, int port, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (accepts(port)) {
                return true;
            }
            if (p != null && !p.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** HTTP GET on 127.0.0.1; returns status and body, or null when nothing answers. */
    static String[] get(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            byte[] body = (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            return new String[] {String.valueOf(code), new String(body, StandardCharsets.UTF_8)};
        } catch (IOException e) {
            return null;
        }
    }

    static Process start(List<String> command, Path log) throws IOException {
        return start(command, log, java.util.Map.of());
    }

    static Process start(List<String> command, Path log, java.util.Map<String, String> env) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process p) throws InterruptedException {
        stop(p, 30);
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
    static void stop(Process p, long graceSeconds) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a command to completion (bounded), returns exit code and combined output. */
    static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, timeoutSeconds, java.util.Map.of());
    }

    static Run run(List<String> command, long timeoutSeconds, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("bench-run", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Run(-1, "timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    record Run(int exit, String output) {
    }

    /**
     * A dcmtk tool: Debian's /usr/bin/NAME when it is there (pynetdicom installs commands with the same names,
     * which may come first on PATH), else the name as found on PATH.
     */
    static String dcmtk(String tool) {
        Path debian = Path.of("/usr/bin", tool);
        return Files.isExecutable(debian) ? debian.toString() : tool;
    }

    /** Whether dcmtk's tool is installed ({@link #dcmtk}). */
    static boolean hasDcmtk(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool)) || onPath(tool);
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    static String which(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : Arrays.asList(path.split(":")));
        dirs.add("/usr/sbin");
        for (String dir : dirs) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
