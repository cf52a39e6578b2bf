package org.ofsep.mwl.core.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mapping shipped in config/mapping.yaml, as tests see it from the gateway-core module directory. */
public final class ShippedMapping {
    public static final Path FILE = locate();

    private ShippedMapping() {
    }

    private static Path locate() {
        for (Path p : new Path[] {Path.of("../config/mapping.yaml"), Path.of("config/mapping.yaml")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("config/mapping.yaml not found from " + Path.of("").toAbsolutePath());
    }

    public static String text() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MappingSnapshot load() {
        return MappingLoader.load(FILE);
    }

    /** The shipped text with one exact substring replaced (fails when the substring is not there once). */
    public static String edit(String from, String to) {
        String t = text();
        int i = t.indexOf(from);
        if (i < 0 || t.indexOf(from, i + 1) >= 0) {
            throw new IllegalArgumentException("not exactly once in mapping.yaml: " + from);
        }
        return t.substring(0, i) + to + t.substring(i + from.length());
    }
}
