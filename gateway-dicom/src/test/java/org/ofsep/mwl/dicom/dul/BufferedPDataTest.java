package org.ofsep.mwl.dicom.dul;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.acse.RequestorPolicy;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.Pdu;
import org.ofsep.mwl.dicom.pdu.PduDecoder;
import org.ofsep.mwl.dicom.pdu.PduEncoder;
import org.ofsep.mwl.dicom.pdu.PresentationContextResult;
import org.ofsep.mwl.dicom.pdu.PresentationDataValue;
import org.ofsep.mwl.dicom.pdu.UserInformation;

/**
 * P-DATA sent with {@code flush == false} waits in the provider's output buffer and goes out in few socket
 * writes, intact and in order: over a real socket to a scripted acceptor, with a socket that counts the writes.
 * The time-based flush is switched off ({@code maxHold}) so that the counts do not depend on the scheduler.
 */
class BufferedPDataTest {

    private final ExecutorService peerThread = Executors.newSingleThreadExecutor();
    private final java.util.concurrent.ScheduledExecutorService timers =
            UpperLayerProvider.timerExecutor(r -> new Thread(r, "test-timer"));

    @AfterEach
    void stop() {
        peerThread.shutdownNow();
        timers.shutdownNow();
    }

    /** A socket counting the writes made on its output stream (each is at least one send syscall). */
    static final class CountingSocket extends Socket {
        final AtomicInteger writes = new AtomicInteger();
        private OutputStream counted;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (counted == null) {
                counted = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        writes.incrementAndGet();
                        out.write(b, off, len);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        writes.incrementAndGet();
                        out.write(b);
                    }
                };
            }
            return counted;
        }
    }

    /** A requestor provider whose user ignores everything (the test drives it). */
    private static final class QuietUser implements UpperLayerUser {
        @Override
        public void pData(PDataTf pdu) {
        }

        @Override
        public void releaseIndication() {
        }

        @Override
        public void aborted(Abort abort, String why) {
        }
    }

    private static PDataTf pdu(int n, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (n + i);
        }
        return new PDataTf(List.of(new PresentationDataValue(1, n % 2 == 0, true, data)));
    }

    /**
     * Connects a provider (requestor) to a scripted acceptor that accepts, then reads {@code expected} PDUs and
     * returns them. The provider is established when this returns.
     */
    private record Link(UpperLayerProvider provider, CountingSocket socket, CompletableFuture<List<Pdu>> received) {
    }

    private Link connect(ServerSocket ss, int expected) throws Exception {
        CompletableFuture<List<Pdu>> received = CompletableFuture.supplyAsync(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                AssociateRq rq = (AssociateRq) PduDecoder.read(in, 1 << 20);
                PduEncoder.write(out, new AssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(),
                        Implementation.APPLICATION_CONTEXT,
                        List.of(new PresentationContextResult(1, 0, Implementation.IMPLICIT_VR_LITTLE_ENDIAN)),
                        new UserInformation(16384, "1.2.3", null, List.of(), null, List.of())));
                List<Pdu> got = new ArrayList<>();
                for (int i = 0; i < expected; i++) {
                    got.add(PduDecoder.read(in, 1 << 20));
                }
                return got;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, peerThread);
        CountingSocket socket = new CountingSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 5_000);
        UpperLayerProvider ul = new UpperLayerProvider("test", socket,
                new UpperLayerSettings(16384, Duration.ofSeconds(5), Duration.ofSeconds(30)), new QuietUser(), timers);
        ul.maxHold(Long.MAX_VALUE);
        ul.requestAssociation(RequestorPolicy.request("MR_GE", "PEER", List.of(Implementation.VERIFICATION), 16384));
        Thread reader = new Thread(ul::run, "test-reader");
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < 500 && ul.state() != State.STA6; i++) {
            Thread.sleep(10); // bounded wait for the A-ASSOCIATE-AC
        }
        assertThat(ul.state()).isEqualTo(State.STA6);
        return new Link(ul, socket, received);
    }

    private static void assertSameData(List<Pdu> received, int first, int count, int size) {
        for (int i = 0; i < count; i++) {
            PresentationDataValue expected = pdu(first + i, size).values().get(0);
            PresentationDataValue got = ((PDataTf) received.get(i)).values().get(0);
            assertThat(got.command()).isEqualTo(expected.command());
            assertThat(got.last()).isTrue();
            assertThat(got.data()).as("PDU %d", first + i).isEqualTo(expected.data());
        }
    }

    @Test
    void bufferedPDataGoesOutInOneWriteWithTheFlushedOne() throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            Link link = connect(ss, 101);
            int before = link.socket().writes.get(); // the A-ASSOCIATE-RQ
            for (int i = 0; i < 100; i++) {
                link.provider().sendPData(pdu(i, 200), false);
            }
            assertThat(link.socket().writes.get()).isEqualTo(before); // 100 x 212 bytes: all still buffered
            link.provider().sendPData(pdu(100, 200)); // flushed: everything goes, in order
            List<Pdu> got = link.received().get(10, TimeUnit.SECONDS);
            assertThat(link.socket().writes.get()).isEqualTo(before + 1);
            assertSameData(got, 0, 101, 200);
            link.provider().abort();
        }
    }

    @Test
    void theBufferIsWrittenWhenFullAndOnFlush() throws Exception {
        int size = 10_000; // 10,012 bytes per PDU: the 64 KiB buffer fills every 7 PDUs
        int count = 30;
        try (ServerSocket ss = new ServerSocket(0)) {
            Link link = connect(ss, count);
            int before = link.socket().writes.get();
            for (int i = 0; i < count; i++) {
                link.provider().sendPData(pdu(i, size), false);
            }
            int whileBuffering = link.socket().writes.get() - before;
            link.provider().flush();
            List<Pdu> got = link.received().get(10, TimeUnit.SECONDS);
            assertThat(whileBuffering).isEqualTo(count / 7); // 4 full buffers written: 28 PDUs
            assertThat(link.socket().writes.get() - before).isEqualTo(count / 7 + 1); // the last 2 on flush
            assertSameData(got, 0, count, size);
            link.provider().abort();
        }
    }

    @Test
    void anotherPduWritesTheBufferedPDataBeforeIt() throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            Link link = connect(ss, 4);
            for (int i = 0; i < 3; i++) {
                link.provider().sendPData(pdu(i, 50), false);
            }
            link.provider().releaseRequest(); // A-RELEASE-RQ: not buffered, and after the P-DATA on the wire
            List<Pdu> got = link.received().get(10, TimeUnit.SECONDS);
            assertSameData(got, 0, 3, 50);
            assertThat(got.get(3).type()).isEqualTo(Pdu.TYPE_RELEASE_RQ);
            link.provider().abort();
        }
    }
}
