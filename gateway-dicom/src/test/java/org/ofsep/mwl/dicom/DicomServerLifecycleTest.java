package org.ofsep.mwl.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.scu.DicomClient;

class DicomServerLifecycleTest {

    private static long dicomThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("dicom-assoc") || t.getName().startsWith("dicom-accept")
                        || t.getName().startsWith("dicom-timer") || t.getName().startsWith("dicom-reject")))
                .count();
    }

    @Test
    void stopClosesOpenAssociationsAndFreesThePortAndThreads() throws Exception {
        TestMapping mapping = TestMapping.standard();
        DicomServer server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1"), () -> mapping, null, null);
        server.start();
        int port = server.port();
        assertThat(port).isPositive();
        DicomClient c = DicomClient.connect("127.0.0.1", port, "MR_GE", "MWLGW", List.of(UID.VERIFICATION), DicomClient.Options.defaults());
        assertThat(c.echo()).isZero();
        assertThat(server.activeAssociations()).isEqualTo(1);

        server.stop();
        assertThat(server.port()).isEqualTo(-1);
        assertThatThrownBy(c::echo).isInstanceOf(IOException.class);
        try (ServerSocket again = new ServerSocket(port)) { // the port is free again
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        for (int i = 0; i < 200 && dicomThreads() > 0; i++) {
            Thread.sleep(25);
        }
        assertThat(dicomThreads()).isZero();
    }

    @Test
    void startTwiceIsHarmlessAndSettingsAreValidated() throws Exception {
        TestMapping mapping = TestMapping.standard();
        try (DicomServer server = new DicomServer(DicomSettings.defaults().withPort(0), () -> mapping, null, null)) {
            server.start();
            int port = server.port();
            server.start();
            assertThat(server.port()).isEqualTo(port);
        }
        assertThatThrownBy(() -> DicomSettings.defaults().withAeTitle("THIS_AE_TITLE_IS_TOO_LONG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DicomSettings.defaults().withMaxPduLength(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DicomSettings.defaults().withMaxAssociations(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
