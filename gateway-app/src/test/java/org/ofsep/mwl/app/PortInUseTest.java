package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;

/** A port another program holds is said with the listener, the address and the setting to change. */
class PortInUseTest {

    @Test
    void aTakenPortNamesItsListenerAndWhatToDo(@TempDir Path work) throws Exception {
        for (String listener : new String[] {"DICOM", "admin HTTP", "HL7"}) {
            try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                TestGateway gw = new TestGateway(work.resolve(listener.replace(' ', '-')));
                switch (listener) {
                    case "DICOM" -> gw.config.dicom.port = held.getLocalPort();
                    case "admin HTTP" -> gw.config.http.port = held.getLocalPort();
                    default -> gw.config.hl7.port = held.getLocalPort();
                }
                Throwable e = catchThrowable(gw::start);
                gw.close();
                // "error: Address already in use" named neither the listener nor the port
                assertThat(e).as(listener).isNotNull();
                assertThat(e.getMessage()).as(listener).contains("the " + listener + " listener cannot listen on")
                        .contains(":" + held.getLocalPort()).contains("another program").contains("gateway doctor checks the ports of gateway.yaml");
            }
        }
    }
}
