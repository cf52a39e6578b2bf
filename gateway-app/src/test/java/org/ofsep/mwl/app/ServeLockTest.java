package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serve lock of a data directory names the gateway that holds it (pid, ports, instance name); the next gateway
 * to get it learns who served before it, and that one is gone (its lock was free): how a restarted gateway takes
 * its previous run's PACS lookups up at once (issue 13).
 */
class ServeLockTest {

    @Test
    void theNextHolderKnowsThePreviousOneWhichIsGone(@TempDir Path data) throws Exception {
        GatewayConfig config = GatewayConfig.load(Path.of("../config"));
        try (ServeLock first = ServeLock.acquire(data, config, "host:101:2575:aaaa")) {
            assertThat(first.previous()).isEmpty();
            assertThat(Files.readString(data.resolve(ServeLock.FILE))).contains("instance=host:101:2575:aaaa");
            // while it serves, nobody else gets the lock
            assertThatThrownBy(() -> ServeLock.acquire(data, config, "host:102:2575:bbbb"))
                    .hasMessageContaining("another gateway serves");
        }
        try (ServeLock second = ServeLock.acquire(data, config, "host:102:2575:bbbb")) {
            assertThat(second.previous()).hasValueSatisfying(p -> {
                assertThat(p.instance()).isEqualTo("host:101:2575:aaaa");
                assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid());
            });
            assertThat(second.holder().instance()).isEqualTo("host:102:2575:bbbb");
        }
        // a lock file written by an older version (no instance line): nothing to take over
        Files.writeString(data.resolve(ServeLock.FILE), "pid=7\nstarted=2026-12-04T10:00:00Z\nhl7Port=2575\n"
                + "dicomPort=11112\nhttpPort=8080\n");
        try (ServeLock third = ServeLock.acquire(data, config, "host:103:2575:cccc")) {
            assertThat(third.previous()).hasValueSatisfying(p -> {
                assertThat(p.pid()).isEqualTo(7);
                assertThat(p.instance()).isNull();
            });
        }
    }
}
