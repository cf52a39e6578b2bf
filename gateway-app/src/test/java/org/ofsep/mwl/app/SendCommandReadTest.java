package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gateway send` reads an order file in the character set its MSH-18 declares. */
class SendCommandReadTest {
    @TempDir
    Path dir;

    private static final String MSH = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20260310101500||ORM^O01|C1|P|2.3.1|||||FRA|%s\n";

    @Test
    void anIso88591OrderIsReadInItsOwnCharset() throws Exception {
        Path file = dir.resolve("latin1.hl7");
        Files.write(file, (MSH.formatted("8859/1") + "PID|1||P1||DUPRÉ^HÉLÈNE\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(SendCommand.read(file)).contains("DUPRÉ^HÉLÈNE");
        // the maintainers' own corpus is stored so (corpus/README.md): it used to fail with "Input length = 1"
        Path corpus = Path.of("..", "corpus", "orders", "c01-xplore-fr.hl7");
        assertThat(SendCommand.read(corpus)).startsWith("MSH|").doesNotContain("\uFFFD");
    }

    @Test
    void utf8WhenDeclaredOrWhenNothingIsDeclared() throws Exception {
        Path declared = dir.resolve("utf8.hl7");
        Files.write(declared, (MSH.formatted("UNICODE UTF-8") + "PID|1||P1||DUPRÉ\n").getBytes(StandardCharsets.UTF_8));
        assertThat(SendCommand.read(declared)).contains("DUPRÉ");
        Path none = dir.resolve("none.hl7");
        Files.write(none, (MSH.formatted("") + "PID|1||P1||DUPRÉ\n").getBytes(StandardCharsets.UTF_8));
        assertThat(SendCommand.read(none)).contains("DUPRÉ");
    }

    @Test
    void bytesThatAreNotTextInTheDeclaredCharsetAreRefused() throws Exception {
        Path file = dir.resolve("wrong.hl7");
        Files.write(file, (MSH.formatted("UNICODE UTF-8") + "PID|1||P1||DUPRÉ\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SendCommand.read(file)).isInstanceOf(java.nio.charset.CharacterCodingException.class);
    }
}
