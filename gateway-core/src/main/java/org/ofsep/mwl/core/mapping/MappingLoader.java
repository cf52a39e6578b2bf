package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a mapping YAML into a validated {@link MappingSnapshot}. Strict: unknown keys, duplicate keys and
 * wrong types are errors; then {@link MappingValidator} checks the meaning. Every error names the file, the
 * line and the field path.
 */
public final class MappingLoader {

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private MappingLoader() {
    }

    /** Loads and validates a mapping file. */
    public static MappingSnapshot load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MappingException(List.of(new MappingError(file.toString(), 0, "",
                    "cannot read the mapping file: " + e)));
        }
        return parse(bytes, file.toString());
    }

    /** Validates a mapping file without keeping it: the errors, empty when the file is good (CLI validate). */
    public static List<MappingError> validate(Path file) {
        try {
            load(file);
            return List.of();
        } catch (MappingException e) {
            return e.errors();
        }
    }

    /**
     * A mapping file of the old layout (see {@link LegacyLayout}) rewritten in the current one, as YAML text; null
     * when the file already has the current layout. Comments are not carried over.
     */
    public static String upgrade(byte[] yaml) {
        try {
            // numbers as written: 0.40 stays 0.40
            var root = YAML.copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
                            false)
                    .readTree(yaml);
            if (!LegacyLayout.isLegacy(root)) {
                return null;
            }
            return "# Converted to the rule-table layout by gateway upgrade-mapping; the comments of the old file were\n"
                    + "# not carried over. Every key is documented in docs/mapping.md.\n"
                    + new ObjectMapper(YAMLFactory.builder()
                            .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .build()).writeValueAsString(LegacyLayout.convert(root));
        } catch (IOException e) {
            throw new MappingException(List.of(new MappingError("", 0, "", "cannot read YAML: " + e)));
        }
    }

    /** Loads and validates mapping YAML held in memory; {@code fileName} is used in error messages. */
    public static MappingSnapshot parse(String yaml, String fileName) {
        return parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), fileName);
    }

    /** Loads and validates mapping YAML bytes (UTF-8); {@code fileName} is used in error messages. */
    public static MappingSnapshot parse(byte[] yaml, String fileName) {
        if (new String(yaml, java.nio.charset.StandardCharsets.UTF_8).lines()
                .allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
            throw new MappingException(List.of(new MappingError(fileName, 1, "", "the mapping file is empty")));
        }
        Map<String, Integer> lines = new HashMap<>();
        try {
            indexLines(yaml, lines);
        } catch (JsonProcessingException e) {
            throw new MappingException(List.of(fromJackson(e, fileName, lines)));
        } catch (IOException e) {
            throw new MappingException(List.of(new MappingError(fileName, 0, "", "cannot read YAML: " + e)));
        }
        Locator locator = new Locator(fileName, lines);
        List<MappingError> legacy;
        try {
            legacy = LegacyLayout.errors(YAML.readTree(yaml), locator);
        } catch (IOException e) {
            legacy = List.of(); // reported below by the binding, with its line
        }
        if (!legacy.isEmpty()) {
            throw new MappingException(legacy);
        }
        MappingDocument doc;
        try {
            doc = YAML.readValue(yaml, MappingDocument.class);
        } catch (JsonProcessingException e) {
            throw new MappingException(List.of(fromJackson(e, fileName, lines)));
        } catch (IOException e) {
            throw new MappingException(List.of(new MappingError(fileName, 0, "", "cannot read YAML: " + e)));
        }
        if (doc == null) {
            throw new MappingException(List.of(new MappingError(fileName, 1, "", "the mapping file is empty")));
        }
        List<MappingError> errors = new MappingValidator(doc, locator).validate();
        if (!errors.isEmpty()) {
            throw new MappingException(errors);
        }
        return new MappingSnapshot(doc, fileName, yaml);
    }

    /** Maps field paths ("stations[1].aeTitle") to the line where they first appear. */
    static void indexLines(byte[] yaml, Map<String, Integer> lines) throws IOException {
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            while (p.nextToken() != null) {
                lines.putIfAbsent(YamlErrors.pathOf(p.getParsingContext()), p.currentTokenLocation().getLineNr());
            }
        }
    }

    private static MappingError fromJackson(JsonProcessingException e, String file, Map<String, Integer> lines) {
        String field = YamlErrors.field(e);
        // Jackson reports where the parser stood, which for records (buffered creator properties) can be the
        // end of the object; the line index knows where the field itself is.
        JsonLocation loc = e.getLocation();
        Integer exact = field.isEmpty() || !(e instanceof JsonMappingException) ? null : lines.get(field);
        int line = exact != null ? exact
                : loc != null && loc.getLineNr() > 0 ? loc.getLineNr() : new Locator(file, lines).line(field);
        String message = YamlErrors.message(e);
        if (e instanceof UnrecognizedPropertyException upe && "inject".equals(upe.getPropertyName())
                && field.startsWith("rules.")) {
            message += ": Gd is decided by this rule; only RELAPSE, PML_SUSPICION and INTERCURRENT leave it to the site";
        }
        return new MappingError(file, line, field, message);
    }

    /** Turns a field path into an error with its line. */
    static final class Locator {
        private final String file;
        private final Map<String, Integer> lines;

        Locator(String file, Map<String, Integer> lines) {
            this.file = file;
            this.lines = lines;
        }

        int line(String path) {
            String p = path;
            while (true) {
                Integer l = lines.get(p);
                if (l != null) {
                    return l;
                }
                if (p.isEmpty()) {
                    return 0;
                }
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                p = cut <= 0 ? "" : p.substring(0, cut);
            }
        }

        MappingError error(String path, String message) {
            return new MappingError(file, line(path), path, message);
        }
    }
}
