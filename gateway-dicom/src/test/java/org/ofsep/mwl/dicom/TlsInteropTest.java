package org.ofsep.mwl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.net.Peers;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.net.TlsContexts;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.service.InMemoryPerformedSteps;
import org.ofsep.mwl.dicom.service.InMemoryWorklist;

/**
 * DICOM TLS (PS3.15 B.1 basic TLS profile) with PEM files, against dcmtk's {@code +tls} (this Debian build has
 * OpenSSL). Certificates are made by openssl for each run.
 */
class TlsInteropTest {

    @TempDir
    Path dir;
    private DicomServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void certificate(String name) throws Exception {
        Peers.Result r = Peers.run(dir, Peers.cmd("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + "-cert.pem", "-days", "2", "-subj", "/CN=" + name));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private void start(boolean requireClientCertificate) throws Exception {
        certificate("server");
        certificate("console");
        DicomSettings.Tls tls = new DicomSettings.Tls(dir.resolve("server-cert.pem"), dir.resolve("server-key.pem"),
                requireClientCertificate ? dir.resolve("console-cert.pem") : null);
        InMemoryWorklist wl = new InMemoryWorklist();
        wl.add(InMemoryWorklist.item("SPS1", "PAT1", "DUPRÉ^HÉLÈNE", "MR_GE", java.time.LocalDateTime.of(2026, 11, 25, 8, 0), "ISO_IR 100"));
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withTls(tls)
                .withArtimTimeout(Duration.ofSeconds(2)), () -> mapping, wl, new InMemoryPerformedSteps());
        server.start();
    }

    private Peers.Result dcmtk(String tool, String... args) throws Exception {
        List<String> cmd = Peers.cmd(tool, "-v", "+tls", "console-key.pem", "console-cert.pem", "+cf", "server-cert.pem",
                "-aet", "MR_GE", "-aec", "MWLGW");
        cmd.addAll(List.of(args));
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(server.port()));
        return Peers.run(dir, cmd);
    }

    @Test
    void echoAndWorklistOverTls() throws Exception {
        start(false);
        Peers.Result echo = dcmtk("echoscu");
        assertThat(echo.exitCode()).as(echo.output()).isZero();
        assertThat(echo.output()).contains("Received Echo Response (Success)");
        Peers.Result find = dcmtk("findscu", "-W", "-k", "PatientID", "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MR_GE");
        assertThat(find.exitCode()).as(find.output()).isZero();
        assertThat(find.output()).contains("PAT1").contains("Received Final Find Response (Success)");
    }

    @Test
    void plainTcpPeerCannotTalkToTheTlsPort() throws Exception {
        start(false);
        Peers.Result r = Peers.run(dir, Peers.cmd("echoscu", "-aet", "MR_GE", "-aec", "MWLGW", "127.0.0.1", Integer.toString(server.port())));
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    void clientCertificateRequiredWhenTrustedCertificatesAreConfigured() throws Exception {
        start(true);
        Peers.Result ok = dcmtk("echoscu");
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        // a console with another certificate is refused during the handshake
        certificate("stranger");
        Peers.Result refused = Peers.run(dir, Peers.cmd("echoscu", "+tls", "stranger-key.pem", "stranger-cert.pem", "+cf",
                "server-cert.pem", "-aet", "MR_GE", "-aec", "MWLGW", "127.0.0.1", Integer.toString(server.port())));
        assertThat(refused.exitCode()).isNotZero();
    }

    @Test
    void ourScuSpeaksTlsToo() throws Exception {
        start(true);
        var ctx = TlsContexts.create(dir.resolve("console-cert.pem"), dir.resolve("console-key.pem"), dir.resolve("server-cert.pem"));
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW", List.of(UID.VERIFICATION),
                DicomClient.Options.defaults().withTls(ctx))) {
            assertThat(c.echo()).isZero();
        }
    }
}
