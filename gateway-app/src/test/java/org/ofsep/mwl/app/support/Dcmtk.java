package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs dcmtk's command-line tools (an independent DICOM implementation) and reads what they got back. The tests
 * fail, not skip, when dcmtk is missing: scripts/test.sh installs it.
 */
public final class Dcmtk {
    private Dcmtk() {
    }

    /** dcmtk's tools, run by their Debian path: pynetdicom installs commands with the same names. */
    private static final java.util.Set<String> TOOLS = java.util.Set.of("findscu", "echoscu", "storescu",
            "storescp", "dump2dcm", "dcmdump", "dcmqrscp", "movescu", "getscu", "wlmscpfs", "dcmodify");

    /** The command with a bare dcmtk tool name replaced by /usr/bin/NAME (where scripts/test.sh installs it). */
    static List<String> byDebianPath(List<String> command) {
        if (command.isEmpty() || !TOOLS.contains(command.get(0))) {
            return command;
        }
        Path debian = Path.of("/usr/bin", command.get(0));
        if (!Files.isExecutable(debian)) {
            throw new AssertionError("dcmtk's " + command.get(0) + " is not at " + debian
                    + " (scripts/test.sh installs Debian's dcmtk)");
        }
        List<String> out = new ArrayList<>(command);
        out.set(0, debian.toString());
        return out;
    }

    /** Outcome of one tool run. */
    public record Run(int exitCode, String output) {
    }

    public static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
        command = byDebianPath(command);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.exitValue(), output);
    }

    public static Run echo(Path workDir, String callingAe, String calledAe, int port) throws Exception {
        return run(workDir, List.of("echoscu", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                String.valueOf(port)));
    }

    /**
     * Runs {@code findscu -W} with the given keys (findscu -k syntax, e.g. "0010,0010=DUP*" or
     * "(0040,0100)[0].Modality=MR"), extracts each response to a file and returns the responses as dumped by
     * dcmdump, one per item, in order.
     */
    public static List<Response> worklist(Path workDir, String callingAe, String calledAe, int port,
                                          List<String> keys) throws Exception {
        Path out = Files.createTempDirectory(workDir, "findscu");
        List<String> command = new ArrayList<>(List.of("findscu", "-W", "-X", "-od", out.toString(),
                "-aet", callingAe, "-aec", calledAe));
        for (String key : keys) {
            command.add("-k");
            command.add(key);
        }
        command.add("127.0.0.1");
        command.add(String.valueOf(port));
        Run run = run(workDir, command);
        if (run.exitCode() != 0) {
            throw new AssertionError("findscu failed (" + run.exitCode() + "):\n" + run.output());
        }
        List<Response> responses = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.sorted().toList()) {
                responses.add(dump(workDir, file));
            }
        }
        return responses;
    }

    private static final Pattern LINE = Pattern.compile("^\\s*\\(([0-9a-f]{4},[0-9a-f]{4})\\) (\\w\\w) (?:\\[(.*)\\]|(=\\S*|\\(.*?\\)|[^#]*?))\\s+#.*$");

    /**
     * Dumps a DICOM file with dcmdump (+U8: values converted to UTF-8 from their Specific Character Set); the
     * Specific Character Set reported is the file's own.
     */
    public static Response dump(Path workDir, Path file) throws Exception {
        Run run = run(workDir, List.of("dcmdump", "+U8", "+L", "-q", file.toString()));
        if (run.exitCode() != 0) {
            throw new AssertionError("dcmdump failed:\n" + run.output());
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            int depth = 0;
            while (depth < line.length() && line.charAt(depth) == ' ') {
                depth++;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String tag = m.group(1).toUpperCase();
            if (tag.startsWith("FFFE,")) {
                continue; // item and delimitation lines carry no value
            }
            int level = depth / 2;
            // a sequence at level L holds its items at L+1 and their elements at L+2
            while (!levels.isEmpty() && levels.get(levels.size() - 1) + 1 >= level) {
                levels.remove(levels.size() - 1);
                path.remove(path.size() - 1);
            }
            String key = path.isEmpty() ? tag : String.join("/", path) + "/" + tag;
            String value = m.group(3) != null ? m.group(3) : "";
            if ("SQ".equals(m.group(2))) {
                path.add(tag);
                levels.add(level);
                values.putIfAbsent(key, "");
            } else {
                values.putIfAbsent(key, value);
            }
        }
        // +U8 converts the values to UTF-8 and so rewrites (0008,0005) to ISO_IR 192: read the file's own
        values.remove("0008,0005");
        Run charset = run(workDir, List.of("dcmdump", "-q", "+P", "0008,0005", file.toString()));
        Matcher cs = Pattern.compile("\\[(.*?)\\]").matcher(charset.output());
        if (cs.find()) {
            values.put("0008,0005", cs.group(1));
        }
        return new Response(file, values, Files.readAllBytes(file), run.output());
    }

    /**
     * One response as dcmdump printed it.
     *
     * @param values tag (or path through sequences, "0040,0100/0040,0008/0008,0100") → first value printed
     */
    public record Response(Path file, Map<String, String> values, byte[] bytes, String dump) {
        public String get(String path) {
            return values.get(path.toUpperCase());
        }

        public boolean has(String path) {
            return values.containsKey(path.toUpperCase());
        }
    }
}
