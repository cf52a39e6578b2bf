package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The item cache of the C-FIND path ({@link ItemCache}) is only right if every UPDATE of worklist_item increments
 * its row_version: this test reads gateway-store's sources and fails on an UPDATE of worklist_item whose statement
 * text lacks {@link ItemTable#ROW_VERSION_BUMP} (the migrations, which run before any reader, excepted).
 */
class RowVersionTest {

    private static final Pattern UPDATE = Pattern.compile("UPDATE\\s+worklist_item\\s+SET", Pattern.CASE_INSENSITIVE);

    @Test
    void everyUpdateOfAWorklistStepIncrementsItsRowVersion() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> statements = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.getFileName().toString().matches("V\\d+__.*")) {
                    continue; // a migration
                }
                String text = Files.readString(f);
                Matcher m = UPDATE.matcher(text);
                while (m.find()) {
                    // the statement runs to the end of the Java expression that builds it
                    int end = text.indexOf(';', m.end());
                    String statement = text.substring(m.start(), end < 0 ? text.length() : end);
                    statements.add(f.getFileName() + ": " + statement);
                    if (!statement.contains("ROW_VERSION_BUMP") && !statement.contains(ItemTable.ROW_VERSION_BUMP)) {
                        missing.add(f.getFileName() + ": " + statement);
                    }
                }
            }
        }
        assertThat(statements).hasSizeGreaterThanOrEqualTo(5); // ItemTable x4, Housekeeping: the scan works
        assertThat(missing).as("UPDATE worklist_item without row_version = row_version + 1").isEmpty();
    }
}
