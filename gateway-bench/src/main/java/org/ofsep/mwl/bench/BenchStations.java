package org.ofsep.mwl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The benchmark's department: ten MR stations (AE titles MR_01..MR_10, vendors in turn), ordered by OBR-21 =
 * IRM01..IRM10. {@link #writeConfig} copies a config directory and puts these stations in its mapping, keeping
 * every other rule as shipped, and binds the listeners to 127.0.0.1.
 */
public final class BenchStations {
    public static final int COUNT = 10;
    private static final String[] VENDORS = {"SIEMENS", "GE", "PHILIPS", "CANON"};
    private static final String[] MODELS = {"MAGNETOM Vida", "SIGNA Artist", "Ingenia Elition X", "Vantage Orian"};

    private BenchStations() {
    }

    public static String aeTitle(int station) {
        return String.format("MR_%02d", station);
    }

    public static void writeConfig(Path source, Path target) throws IOException {
        writeConfig(source, target, COUNT);
    }

    /** The same with {@code count} stations MR_01..MR_nn (the peak scenario has one per console). */
    public static void writeConfig(Path source, Path target, int count) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path gatewayYaml = target.resolve("gateway.yaml");
        String gw = Files.readString(gatewayYaml, StandardCharsets.UTF_8)
                .replaceAll("(?m)^(\\s*bindAddress:)\\s*0\\.0\\.0\\.0", "$1 127.0.0.1");
        Files.writeString(gatewayYaml, gw, StandardCharsets.UTF_8);

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        Path mappingFile = target.resolve(mappingFileName(gw));
        ObjectNode mapping = (ObjectNode) yaml.readTree(mappingFile.toFile());
        ArrayNode stations = mapping.putArray("stations");
        ObjectNode stationRules = mapping.putObject("stationRules");
        ArrayNode rules = stationRules.putArray("rules");
        for (int i = 1; i <= count; i++) {
            int v = (i - 1) % VENDORS.length;
            ObjectNode s = stations.addObject();
            s.put("name", "IRM " + i + " - " + VENDORS[v]);
            s.put("aeTitle", aeTitle(i));
            s.put("vendor", VENDORS[v]);
            s.put("model", MODELS[v]);
            s.put("fieldStrengthTesla", i % 2 == 0 ? 1.5 : 3.0);
            s.put("modality", "MR");
            s.put("fuzzyNames", false);
            ObjectNode rule = rules.addObject();
            rule.put("field", "OBR-21");
            rule.put("equals", String.format("IRM%02d", i));
            rule.put("station", aeTitle(i));
        }
        stationRules.put("default", aeTitle(1));
        yaml.writeValue(mappingFile.toFile(), mapping);
    }

    private static String mappingFileName(String gatewayYaml) {
        var m = java.util.regex.Pattern.compile("(?m)^mapping:\\s*\"?([^\"#\\s]+)").matcher(gatewayYaml);
        return m.find() ? m.group(1) : "mapping.yaml";
    }
}
