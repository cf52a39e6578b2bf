package org.ofsep.mwl.dicom.dul;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.Pdu;
import org.ofsep.mwl.dicom.pdu.PduDecoder;
import org.ofsep.mwl.dicom.pdu.PduEncoder;
import org.ofsep.mwl.dicom.pdu.PresentationContextResult;
import org.ofsep.mwl.dicom.pdu.ReleaseRp;
import org.ofsep.mwl.dicom.pdu.ReleaseRq;
import org.ofsep.mwl.dicom.pdu.UserInformation;
import org.ofsep.mwl.dicom.scu.DicomClient;

/**
 * A release collision (PS3.8 9.2.3) over a real socket: a scripted acceptor answers our A-RELEASE-RQ with its
 * own A-RELEASE-RQ. Our requestor must go Sta7 -> Sta9 (AR-8) -> send A-RELEASE-RP (AR-9, Sta11) and end
 * when the acceptor's A-RELEASE-RP arrives (AR-3).
 */
class ReleaseCollisionTest {

    /** Repeated: it once caught a confirmation delivered before the state change (the user saw Sta5). */
    @org.junit.jupiter.api.RepeatedTest(10)
    void requestorSideCollisionCompletesTheRelease() throws Exception {
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<List<Integer>> scripted = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    AssociateRq rq = (AssociateRq) PduDecoder.read(in, 1 << 20);
                    PduEncoder.write(out, new AssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), Implementation.APPLICATION_CONTEXT,
                            List.of(new PresentationContextResult(1, 0, Implementation.IMPLICIT_VR_LITTLE_ENDIAN)),
                            new UserInformation(16384, "1.2.3", null, List.of(), null, List.of())));
                    Pdu first = PduDecoder.read(in, 1 << 20);   // the requestor's A-RELEASE-RQ
                    PduEncoder.write(out, new ReleaseRq());     // collision: ours crosses it
                    Pdu second = PduDecoder.read(in, 1 << 20);  // requestor answers first (AR-9)
                    PduEncoder.write(out, new ReleaseRp());     // then we answer (acceptor side, AR-4 in Sta12)
                    Pdu end = PduDecoder.read(in, 1 << 20);     // requestor closes: end of stream
                    return List.of(first.type(), second.type(), end == null ? -1 : end.type());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, thread); // own thread: the common pool may have a single worker on a small machine
            DicomClient c = DicomClient.connect("127.0.0.1", ss.getLocalPort(), "MR_GE", "PEER",
                    List.of(Implementation.VERIFICATION), DicomClient.Options.defaults());
            c.release();
            assertThat(scripted.get(10, TimeUnit.SECONDS)).containsExactly(Pdu.TYPE_RELEASE_RQ, Pdu.TYPE_RELEASE_RP, -1);
            assertThat(c.isEstablished()).isFalse();
        } finally {
            thread.shutdownNow();
        }
    }
}
