package org.ofsep.mwl.app.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.app.priors.SyntheticStudies.series;
import static org.ofsep.mwl.app.priors.SyntheticStudies.study;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.GatewayConfig;
import org.ofsep.mwl.app.PriorSources;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestCerts;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;

/**
 * DIMSE over DICOM TLS to the PACS ({@code priors.dimse.tls: true}): a real Orthanc 1.10 whose DICOM port speaks
 * only TLS (DicomTlsEnabled) and requires the gateway's client certificate (DicomTlsRemoteCertificateRequired),
 * with certificates the test makes. The gateway presents dicom.tls.certificate/privateKey and trusts
 * dicom.tls.trustedCertificates (the PACS's certificate); the console side stays plain DICOM.
 */
class PriorsTlsTest {

    static final LocalDate TODAY = LocalDate.now();

    @TempDir
    static Path dir;
    static OrthancPeer orthanc;
    static TestCerts.Pair pacsCert;
    static TestCerts.Pair gatewayCert;
    static TestCerts.Pair strangerCert;
    static SyntheticStudies.Study brain3d;

    @BeforeAll
    static void pacs() throws Exception {
        pacsCert = TestCerts.create(dir.resolve("certs"), "pacs", 1, 30);
        gatewayCert = TestCerts.create(dir.resolve("certs"), "gateway", 1, 30);
        strangerCert = TestCerts.create(dir.resolve("certs"), "stranger", 1, 30);
        brain3d = study("PATTLS1", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"));
        orthanc = OrthancPeer.startTls(dir.resolve("orthanc"), pacsCert.certificate(), pacsCert.privateKey(),
                gatewayCert.certificate(), true);
        orthanc.load(SyntheticStudies.write(dir.resolve("files"), List.of(brain3d)));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    /** gateway.yaml with the PACS over TLS, certificates as a site would name them (relative to the config dir). */
    static GatewayConfig config(Path configDir, TestCerts.Pair own, Path trusted) throws Exception {
        GatewayConfig c = GatewayConfig.load(Path.of("../config"));
        c.priors.source = "dimse";
        c.priors.dimse.host = "127.0.0.1";
        c.priors.dimse.port = orthanc.dicomPort;
        c.priors.dimse.calledAeTitle = "ORTHANC";
        c.priors.dimse.tls = true;
        c.priors.timeoutSeconds = 5;
        c.dicom.tls.certificate = own == null ? "" : own.certificate().toString();
        c.dicom.tls.privateKey = own == null ? "" : own.privateKey().toString();
        c.dicom.tls.trustedCertificates = trusted.toString();
        return c;
    }

    static PriorQuery query() {
        return new PriorQuery("PATTLS1", null, TODAY.minusYears(6), TODAY);
    }

    @Test
    void thePriorsComeOverTlsWithTheGatewaysCertificate() throws Exception {
        PriorSource source = PriorSources.fromConfig(config(dir, gatewayCert, pacsCert.certificate()), dir);
        assertThat(source.describe()).endsWith(" TLS");
        List<PriorStudy> studies = source.find(query());
        assertThat(studies).extracting(PriorStudy::studyInstanceUid).containsExactly(brain3d.uid());
        assertThat(studies.get(0).series()).anyMatch(s -> "t2_spc_da-fl_sag_p2_iso".equals(s.description()));
    }

    @Test
    void withoutTlsWithoutTheClientCertificateOrTrustingAnotherPacsNothingIsAsked() throws Exception {
        GatewayConfig plain = config(dir, gatewayCert, pacsCert.certificate());
        plain.priors.dimse.tls = false;
        plain.priors.timeoutSeconds = 2;
        assertThatThrownBy(() -> PriorSources.fromConfig(plain, dir).find(query()))
                .isInstanceOf(PriorSourceException.class);
        // Orthanc requires the gateway's certificate: without one, the handshake fails
        assertThatThrownBy(() -> PriorSources.fromConfig(config(dir, null, pacsCert.certificate()), dir).find(query()))
                .isInstanceOf(PriorSourceException.class);
        // a certificate Orthanc does not trust
        assertThatThrownBy(() -> PriorSources.fromConfig(config(dir, strangerCert, pacsCert.certificate()), dir)
                .find(query())).isInstanceOf(PriorSourceException.class);
        // the gateway does not trust the PACS's certificate
        assertThatThrownBy(() -> PriorSources.fromConfig(config(dir, gatewayCert, strangerCert.certificate()), dir)
                .find(query())).isInstanceOf(PriorSourceException.class)
                .hasMessageContaining("certif");
    }

    @Test
    void routineThroughThePacsOverTlsSeenByFindscu(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            gw.config.priors.source = "dimse";
            gw.config.priors.dimse.host = "127.0.0.1";
            gw.config.priors.dimse.port = orthanc.dicomPort;
            gw.config.priors.dimse.calledAeTitle = "ORTHANC";
            gw.config.priors.dimse.tls = true;
            gw.config.dicom.tls.certificate = gatewayCert.certificate().toString();
            gw.config.dicom.tls.privateKey = gatewayCert.privateKey().toString();
            gw.config.dicom.tls.trustedCertificates = pacsCert.certificate().toString();
            gw.start();
            PriorsEndToEndTest.send(gw, "PATTLS1", "PLTLS1");
            Dcmtk.Response seen = PriorsEndToEndTest.awaitConsole(gw, work, "APLTLS1", "ROUTINE");
            assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
            assertThat(seen.dump()).contains(brain3d.uid()).contains("TLS");
            WorklistItem item = gw.gateway().worklist().findByAccession("APLTLS1").get(0);
            assertThat(item.decision().contrast()).isFalse();
            assertThat(gw.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(gw.gateway().priors().health().get("state")).isEqualTo("UP");
        }
    }
}
