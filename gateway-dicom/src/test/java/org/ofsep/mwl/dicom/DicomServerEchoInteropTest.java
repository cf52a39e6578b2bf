package org.ofsep.mwl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.net.Peers;
import org.ofsep.mwl.dicom.net.TestMapping;

/** dcmtk echoscu against the in-process server: acceptance and the AE title policies. */
class DicomServerEchoInteropTest {

    private DicomServer server;

    @BeforeEach
    void start() throws Exception {
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1")
                .withArtimTimeout(Duration.ofSeconds(2)), () -> mapping, null, null);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String port() {
        return Integer.toString(server.port());
    }

    @Test
    void echoFromAConfiguredStationSucceeds() throws Exception {
        Peers.Result r = Peers.run("echoscu", "-v", "-aet", "MR_SIEMENS", "-aec", "MWLGW", "127.0.0.1", port());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Association Accepted").contains("Received Echo Response (Success)");
    }

    @Test
    void unknownCallingAeTitleIsRejected() throws Exception {
        Peers.Result r = Peers.run("echoscu", "-v", "-aet", "INTRUDER", "-aec", "MWLGW", "127.0.0.1", port());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Association Rejected").contains("Calling AE Title Not Recognized");
    }

    @Test
    void unknownCalledAeTitleIsRejected() throws Exception {
        Peers.Result r = Peers.run("echoscu", "-v", "-aet", "MR_SIEMENS", "-aec", "OTHER", "127.0.0.1", port());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Association Rejected").contains("Called AE Title Not Recognized");
    }

    @Test
    void stationBoundToAnotherHostIsRejected() throws Exception {
        Peers.Result r = Peers.run("echoscu", "-v", "-aet", "MR_HOSTBOUND", "-aec", "MWLGW", "127.0.0.1", port());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Calling AE Title Not Recognized");
        Peers.Result ok = Peers.run("echoscu", "-aet", "MR_PHILIPS", "-aec", "MWLGW", "127.0.0.1", port());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
    }
}
