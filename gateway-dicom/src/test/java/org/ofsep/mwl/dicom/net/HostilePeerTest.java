package org.ofsep.mwl.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.DicomServer;
import org.ofsep.mwl.dicom.DicomSettings;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.Pdu;
import org.ofsep.mwl.dicom.pdu.PduDecoder;
import org.ofsep.mwl.dicom.pdu.PduEncoder;
import org.ofsep.mwl.dicom.pdu.PresentationDataValue;
import org.ofsep.mwl.dicom.acse.RequestorPolicy;
import org.ofsep.mwl.dicom.scu.AssociationRejectedException;
import org.ofsep.mwl.dicom.scu.DicomClient;

/**
 * Broken and hostile peers over real sockets: each gets its own association aborted or closed, the server keeps
 * serving others, and no association (thread) is left behind.
 */
class HostilePeerTest {

    private DicomServer server;

    @BeforeEach
    void start() throws Exception {
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withMaxAssociations(3)
                .withArtimTimeout(Duration.ofMillis(500)).withIdleTimeout(Duration.ofSeconds(2)), () -> mapping, null, null);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static AssociateRq echoRq(String calling) {
        return RequestorPolicy.request(calling, "MWLGW", List.of(Implementation.VERIFICATION), 16384);
    }

    private void assertStillServes() throws Exception {
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                List.of(Implementation.VERIFICATION), DicomClient.Options.defaults())) {
            assertThat(c.echo()).isZero();
        }
    }

    private void awaitNoAssociation() throws InterruptedException {
        for (int i = 0; i < 200 && server.activeAssociations() > 0; i++) {
            Thread.sleep(25);
        }
        assertThat(server.activeAssociations()).isZero();
    }

    @Test
    void garbageInsteadOfAnAssociateRequestIsAbortedAndClosed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            Pdu answer = PduDecoder.read(s.getInputStream(), 1 << 20);
            assertThat(answer).isInstanceOf(Abort.class);
            assertThat(((Abort) answer).source()).isEqualTo(Abort.SOURCE_SERVICE_PROVIDER);
            assertThat(s.getInputStream().read()).isEqualTo(-1); // ARTIM then closes the connection
        }
        awaitNoAssociation();
        assertStillServes();
    }

    @Test
    void silentConnectionIsClosedByArtim() throws Exception {
        try (Socket s = connect()) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        awaitNoAssociation();
    }

    @Test
    void oversizedPDataAbortsOnlyThatAssociation() throws Exception {
        try (DicomClient other = DicomClient.connect("127.0.0.1", server.port(), "MR_SIEMENS", "MWLGW",
                List.of(Implementation.VERIFICATION), DicomClient.Options.defaults());
             Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            PduEncoder.write(out, echoRq("MR_GE"));
            assertThat(PduDecoder.read(in, 1 << 20).type()).isEqualTo(Pdu.TYPE_ASSOCIATE_AC);
            // declares 1 GiB of P-DATA: refused from the header, no allocation
            out.write(new byte[] {4, 0, 0x40, 0, 0, 0});
            out.flush();
            Pdu answer = PduDecoder.read(in, 1 << 20);
            assertThat(answer).isEqualTo(Abort.byProvider(Abort.REASON_INVALID_PDU_PARAMETER_VALUE));
            assertThat(other.echo()).isZero(); // the other association is untouched
        }
        awaitNoAssociation();
    }

    @Test
    void malformedCommandAbortsTheAssociation() throws Exception {
        try (Socket s = connect()) {
            PduEncoder.write(s.getOutputStream(), echoRq("MR_GE"));
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20).type()).isEqualTo(Pdu.TYPE_ASSOCIATE_AC);
            PduEncoder.write(s.getOutputStream(), new PDataTf(List.of(new PresentationDataValue(1, true, true, new byte[] {1, 2, 3}))));
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20)).isInstanceOf(Abort.class);
        }
        awaitNoAssociation();
        assertStillServes();
    }

    @Test
    void idleAssociationIsAborted() throws Exception {
        try (Socket s = connect()) {
            PduEncoder.write(s.getOutputStream(), echoRq("MR_GE"));
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20).type()).isEqualTo(Pdu.TYPE_ASSOCIATE_AC);
            // say nothing: the 2 s idle timeout aborts
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20)).isInstanceOf(Abort.class);
        }
        awaitNoAssociation();
    }

    @Test
    void associationsBeyondTheLimitAreRejectedTransiently() throws Exception {
        DicomClient a = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW", List.of(Implementation.VERIFICATION), DicomClient.Options.defaults());
        DicomClient b = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW", List.of(Implementation.VERIFICATION), DicomClient.Options.defaults());
        DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW", List.of(Implementation.VERIFICATION), DicomClient.Options.defaults());
        try {
            AssociationRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(AssociationRejectedException.class,
                    () -> DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW", List.of(Implementation.VERIFICATION), DicomClient.Options.defaults()));
            assertThat(e.rejection()).isEqualTo(new AssociateRj(AssociateRj.RESULT_TRANSIENT,
                    AssociateRj.SOURCE_PROVIDER_PRESENTATION, AssociateRj.REASON_LOCAL_LIMIT_EXCEEDED));
            assertThat(a.echo()).isZero();
        } finally {
            a.close();
            b.close();
            c.close();
        }
        awaitNoAssociation();
        assertStillServes();
    }

    @Test
    void randomBytesFromManyPeersLeaveNothingBehind() throws Exception {
        Random r = new Random(7);
        byte[] valid = PduEncoder.encode(echoRq("MR_GE"));
        for (int i = 0; i < 60; i++) {
            byte[] junk = PduDecoderFuzzTestAccess.mutate(valid, r);
            try (Socket s = connect()) {
                s.getOutputStream().write(junk);
                s.getOutputStream().flush();
                s.shutdownOutput();
                // read until the server closes: must happen (no hang) within ARTIM/idle bounds
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    // drain
                }
            } catch (java.net.SocketException e) {
                // reset by the server: fine
            }
        }
        awaitNoAssociation();
        assertStillServes();
    }

    @Test
    void unsupportedProtocolVersionIsRejectedByTheProvider() throws Exception {
        AssociateRq good = echoRq("MR_GE");
        AssociateRq v2 = new AssociateRq(2, good.calledAeTitle(), good.callingAeTitle(), good.applicationContext(),
                good.presentationContexts(), good.userInformation());
        try (Socket s = connect()) {
            PduEncoder.write(s.getOutputStream(), v2);
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20)).isEqualTo(new AssociateRj(AssociateRj.RESULT_PERMANENT,
                    AssociateRj.SOURCE_PROVIDER_ACSE, AssociateRj.REASON_PROTOCOL_VERSION_NOT_SUPPORTED));
        }
        awaitNoAssociation();
    }

    @Test
    void writeWatchdogsDoNotPileUpInTheTimerQueue() throws Exception {
        java.util.concurrent.ScheduledExecutorService t = org.ofsep.mwl.dicom.dul.UpperLayerProvider.timerExecutor(r -> new Thread(r));
        try {
            for (int i = 0; i < 10_000; i++) {
                t.schedule(() -> { }, 60, java.util.concurrent.TimeUnit.SECONDS).cancel(false);
            }
            assertThat(((java.util.concurrent.ScheduledThreadPoolExecutor) t).getQueue()).isEmpty();
        } finally {
            t.shutdownNow();
        }
    }

    private DicomClient echoClient(String calling) throws Exception {
        return DicomClient.connect("127.0.0.1", server.port(), calling, "MWLGW", List.of(Implementation.VERIFICATION),
                DicomClient.Options.defaults());
    }

    @Test
    void silentAndDribblingConnectionsTakeNoSlotAndArtimClosesThem() throws Exception {
        List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // three slots; ten connections that never associate
                idle.add(connect());
            }
            byte[] rq = PduEncoder.encode(echoRq("MR_GE"));
            Socket dribbler = connect();
            idle.add(dribbler);
            dribbler.getOutputStream().write(rq, 0, 3);
            long start = System.nanoTime();
            assertStillServes(); // served at once: the silent ones hold no slot
            assertStillServes();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            // ARTIM (500 ms) closes every one of them, the one dribbling its request too
            for (int i = 0; i < 6; i++) {
                Thread.sleep(100);
                dribbler.getOutputStream().write(rq, 3 + i, 1);
            }
            for (Socket s : idle) {
                s.setSoTimeout(3000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        } catch (java.net.SocketException e) {
            // the dribbler's write may fail once ARTIM closed it: that is the point
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        awaitNoAssociation();
    }

    @Test
    void aFloodOfUnassociatedConnectionsClosesTheOldestAndServesNewcomers() throws Exception {
        server.stop();
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withMaxAssociations(3)
                .withArtimTimeout(Duration.ofSeconds(20)).withMaxPendingConnections(5), () -> mapping, null, null);
        server.start();
        List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                idle.add(connect());
            }
            assertStillServes();
            // the first ones were closed to make room, long before their 20 s ARTIM
            idle.get(0).setSoTimeout(3000);
            assertThat(idle.get(0).getInputStream().read()).isEqualTo(-1);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aRequestWaitsForASlotThatFreesWithinTheWait() throws Exception {
        server.stop();
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withMaxAssociations(2)
                .withArtimTimeout(Duration.ofSeconds(5)).withAssociationWait(Duration.ofSeconds(3)), () -> mapping, null, null);
        server.start();
        DicomClient a = echoClient("MR_GE");
        DicomClient b = echoClient("MR_GE");
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(700);
                a.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        closer.start();
        try (DicomClient c = echoClient("MR_SIEMENS")) { // waits for a's slot instead of being refused
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
            assertThat(c.echo()).isZero();
        } finally {
            closer.join();
            b.close();
        }
    }

    @Test
    void aPDataDribbledOneByteAtATimeIsAbortedAfterTheIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            PduEncoder.write(s.getOutputStream(), echoRq("MR_GE"));
            assertThat(PduDecoder.read(s.getInputStream(), 1 << 20).type()).isEqualTo(Pdu.TYPE_ASSOCIATE_AC);
            byte[] pdata = PduEncoder.encode(new PDataTf(List.of(new PresentationDataValue(1, true, true, new byte[200]))));
            long start = System.nanoTime();
            Pdu answer = null;
            try {
                for (int i = 0; i < pdata.length - 1 && s.getInputStream().available() == 0; i++) {
                    s.getOutputStream().write(pdata[i]); // one byte every 100 ms: never 2 s of silence
                    s.getOutputStream().flush();
                    Thread.sleep(100);
                }
                answer = PduDecoder.read(s.getInputStream(), 1 << 20);
            } catch (java.net.SocketException e) {
                // closed after the abort
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5)); // idle timeout 2 s, per PDU
            if (answer != null) {
                assertThat(answer).isInstanceOf(Abort.class);
            }
        }
        awaitNoAssociation();
        assertStillServes();
    }
}
