package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The name an instance holds leases and PACS lookups under: two instances on one database must never share it,
 * even when host, pid and HL7 port are the same (containers with a fixed host name, each process pid 1, the
 * default port), or each would renew and release the other's claims.
 */
class InstanceIdTest {

    @Test
    void twoInstancesWithTheSameHostPidAndPortHaveDifferentNames(@TempDir Path work) throws Exception {
        GatewayConfig config = GatewayConfig.load(Path.of("../config"));
        try (Gateway a = Gateway.open(config, Path.of("../config"), work.resolve("a"));
             Gateway b = Gateway.open(config, Path.of("../config"), work.resolve("b"))) {
            String pidAndPort = ":" + ProcessHandle.current().pid() + ":" + config.hl7.port + ":";
            assertThat(a.instanceId).contains(pidAndPort);
            assertThat(b.instanceId).contains(pidAndPort);
            assertThat(a.instanceId).isNotEqualTo(b.instanceId);
        }
    }
}
