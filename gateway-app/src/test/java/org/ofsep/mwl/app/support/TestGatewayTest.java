package org.ofsep.mwl.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test gateway starts even when another socket took the port it had found free (the race CI met). */
class TestGatewayTest {

    @Test
    void aPortTakenBeforeTheGatewayBindsItIsChosenAgain(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            int chosen = gw.config.hl7.port;
            try (ServerSocket thief = new ServerSocket(chosen, 1, InetAddress.getByName("127.0.0.1"))) {
                gw.start();
                assertThat(gw.config.hl7.port).isNotEqualTo(chosen);
                assertThat(MllpClient.field(gw.send("/e2e/orm-latin1-routine.hl7",
                        java.nio.charset.StandardCharsets.ISO_8859_1), "MSA", 1)).isEqualTo("AA");
            }
        }
    }
}
