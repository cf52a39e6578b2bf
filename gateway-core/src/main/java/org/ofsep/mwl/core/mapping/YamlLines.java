package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML file stands: the line of a field path as the file writes it ({@code stations[1].aeTitle},
 * {@code http.port}), for mapping.yaml ({@link MappingLoader}) and gateway.yaml alike, so that an error about a
 * value found after the binding (a port out of range, an unknown station) still names its line.
 */
public final class YamlLines {

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Map<String, Integer> lines = new HashMap<>();

    /** No line known: every {@link #line} is 0 (a configuration not read from a file). */
    public YamlLines() {
    }

    /**
     * Reads the keys of a YAML document; on a syntax error (or a key given twice) throws it, keeping the lines read
     * until there.
     */
    public YamlLines read(byte[] yaml) throws IOException {
        try (JsonParser p = YAML.createParser(yaml)) {
            while (p.nextToken() != null) {
                lines.putIfAbsent(YamlErrors.pathOf(p.getParsingContext()), p.currentTokenLocation().getLineNr());
            }
        }
        return this;
    }

    /** The line where this very path first appears, null when the file does not write it. */
    public Integer exact(String path) {
        return lines.get(path);
    }

    /**
     * The 1-based line of a path, or of the nearest enclosing key the file writes (a value left to its default
     * inside a section the file has: the section's line); 0 when none.
     */
    public int line(String path) {
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
}
