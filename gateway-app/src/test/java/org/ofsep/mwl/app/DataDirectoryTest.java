package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.LogCapture;

/** The data directory is created without access for others; an open one is named in a WARN (independent review). */
class DataDirectoryTest {
    @TempDir
    Path work;

    @Test
    void aNewDataDirectoryIsClosedToOthersAndAnOpenOneIsSaid() throws Exception {
        Path data = work.resolve("site/data");
        DataDirectory.ensure(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-x---");
        Path open = Files.createDirectories(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LogCapture log = LogCapture.of(DataDirectory.class)) {
            DataDirectory.ensure(open);
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("open to other users")
                    .contains("rwxr-xr-x");
            log.clear();
            DataDirectory.ensure(data);
            DataDirectory.ensure(open); // said once per directory (the lock, the store and the start all ensure it)
            assertThat(log.messages(Level.WARN)).isEmpty();
        }
        // left as it was: an administrator's choice is said, not undone
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwxr-xr-x");
    }
}
