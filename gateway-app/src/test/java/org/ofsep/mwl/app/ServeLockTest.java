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

    /**
     * {@code gateway compact} holds the directory: a gateway and the CLI commands are refused with what holds it,
     * and the gateway after it still learns the instance name of the gateway before it.
     */
    @Test
    void aTaskHoldsTheDirectoryAndPassesThePreviousGatewayOn(@TempDir Path data) throws Exception {
        GatewayConfig config = GatewayConfig.load(Path.of("../config"));
        try (ServeLock served = ServeLock.acquire(data, config, "host:101:2575:aaaa")) {
            // a gateway serves: the task is refused as any second holder
            assertThatThrownBy(() -> ServeLock.acquireForTask(data, "compact"))
                    .hasMessageContaining("another gateway serves");
        }
        try (ServeLock task = ServeLock.acquireForTask(data, "compact")) {
            assertThat(task.holder().task()).isEqualTo("compact");
            assertThat(task.holder().instance()).as("kept for the next gateway").isEqualTo("host:101:2575:aaaa");
            assertThat(task.holder().holds(0)).isFalse();
            assertThat(Files.readString(data.resolve(ServeLock.FILE))).contains("task=compact")
                    .contains("instance=host:101:2575:aaaa");
            assertThatThrownBy(() -> ServeLock.acquire(data, config, "host:102:2575:bbbb"))
                    .hasMessageContaining("'gateway compact' (process " + ProcessHandle.current().pid())
                    .hasMessageContaining("to itself: try again when it has ended");
            assertThat(ServeLock.serving(data)).hasValueSatisfying(h -> assertThat(h.command())
                    .isEqualTo("gateway compact"));
            assertThatThrownBy(() -> Gateway.commandDatabaseSettings(config, data, 2))
                    .hasMessageContaining("'gateway compact'").hasMessageContaining("try again when it has ended");
        }
        try (ServeLock next = ServeLock.acquire(data, config, "host:102:2575:bbbb")) {
            assertThat(next.previous()).hasValueSatisfying(p -> {
                assertThat(p.task()).isEqualTo("compact");
                assertThat(p.instance()).isEqualTo("host:101:2575:aaaa");
            });
        }
    }
}
