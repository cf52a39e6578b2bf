package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a command prints when it fails on a file: the file and why (it printed the file's name alone). */
class GatewayCliErrorsTest {

    @Test
    void aFileErrorSaysWhichFileAndWhy() {
        assertThat(GatewayCli.describe(new java.nio.file.NoSuchFileException("nodir/x.json")))
                .isEqualTo("no such file or directory: nodir/x.json");
        assertThat(GatewayCli.describe(new java.nio.file.AccessDeniedException("/root/x.json")))
                .isEqualTo("permission denied: /root/x.json");
        assertThat(GatewayCli.describe(new java.nio.file.FileSystemException("/dev/full", null, "No space left")))
                .isEqualTo("/dev/full: No space left");
        assertThat(GatewayCli.describe(new IllegalStateException("the store is in use"))).isEqualTo("the store is in use");
    }
}
