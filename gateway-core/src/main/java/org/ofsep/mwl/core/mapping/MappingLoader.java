package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        YamlLines lines = new YamlLines();
        try {
            lines.read(yaml);
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

    private static MappingError fromJackson(JsonProcessingException e, String file, YamlLines lines) {
        MappingError error = YamlErrors.error(e, file, lines);
        if (e instanceof UnrecognizedPropertyException upe && "inject".equals(upe.getPropertyName())
                && error.field().startsWith("rules.")) {
            return new MappingError(file, error.line(), error.field(), error.message() + ": Gd is decided by this"
                    + " rule; only RELAPSE, PML_SUSPICION and INTERCURRENT leave it to the site");
        }
        return error;
    }

    /** Turns a field path into an error with its line. */
    static final class Locator {
        private final String file;
        private final YamlLines lines;

        Locator(String file, YamlLines lines) {
            this.file = file;
            this.lines = lines;
        }

        int line(String path) {
            return lines.line(path);
        }

        MappingError error(String path, String message) {
            return new MappingError(file, line(path), path, message);
        }
    }
}
