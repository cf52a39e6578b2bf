package org.ofsep.mwl.dicom.dul;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.Pdu;
import org.ofsep.mwl.dicom.pdu.PduDecoder;
import org.ofsep.mwl.dicom.pdu.PduEncoder;
import org.ofsep.mwl.dicom.pdu.PduFormatException;
import org.ofsep.mwl.dicom.pdu.ReleaseRp;
import org.ofsep.mwl.dicom.pdu.ReleaseRq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM Upper Layer service provider of one transport connection: reads PDUs and feeds them to the
 * {@link StateMachine} as events, performs the actions the table selects (send PDUs, ARTIM timer, close), and
 * gives indications to its {@link UpperLayerUser}. One reader thread runs {@link #run()}; any thread may issue
 * requests and responses.
 */
public final class UpperLayerProvider implements ActionPerformer {

    private static final Logger LOG = LoggerFactory.getLogger(UpperLayerProvider.class);
    /** The only protocol version defined (bit 0 of the protocol-version field). */
    private static final int PROTOCOL_VERSION_1 = 0x0001;

    private final Socket socket;
    private final UpperLayerSettings settings;
    private final UpperLayerUser user;
    private final ScheduledExecutorService timers;
    private final StateMachine machine;
    private final CountingInputStream in;
    private final OutputStream out;
    /** PDUs encoded but not yet written to the socket; guarded by {@link #writeLock}. */
    private final PendingBytes pending = new PendingBytes();
    /** When the oldest byte in {@link #pending} was put there (System.nanoTime). */
    private long pendingSince;
    private final Object writeLock = new Object();
    private volatile ScheduledFuture<?> artim;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean framingLost;
    private final String name;

    public UpperLayerProvider(String name, Socket socket, UpperLayerSettings settings, UpperLayerUser user,
                              ScheduledExecutorService timers) throws IOException {
        this.name = name;
        this.socket = socket;
        this.settings = settings;
        this.user = user;
        this.timers = timers;
        this.machine = new StateMachine(name, this);
        this.in = new CountingInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024),
                settings.idleTimeout().toNanos());
        this.out = socket.getOutputStream();
    }

    /**
     * Buffered P-DATA is written to the socket once this many bytes are waiting: a few syscalls for a long C-FIND
     * answer instead of one per PDU. Unrelated to the PDU size limits: every PDU keeps the length the fragmenter
     * gave it (at most the peer's maximum), several of them simply go in one write.
     */
    static final int FLUSH_BYTES = 64 * 1024;
    /** Buffered P-DATA older than this is written with the next PDU, so a slow answer still arrives in steps. */
    static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private volatile long maxHoldNanos = MAX_HOLD_NANOS;

    /** Tests: how long buffered P-DATA may wait for the next PDU (Long.MAX_VALUE: only size and flush count). */
    void maxHold(long nanos) {
        this.maxHoldNanos = nanos;
    }

    /**
     * The timer executor the providers need (ARTIM, write watchdog). Cancelled timers are removed at once: every
     * PDU sent arms and cancels a watchdog, which would otherwise pile up until their delay expires.
     */
    public static ScheduledExecutorService timerExecutor(java.util.concurrent.ThreadFactory threads) {
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, threads);
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    public State state() {
        return machine.state();
    }

    public StateMachine machine() {
        return machine;
    }

    // ---- primitives from the local user -------------------------------------------------------------------

    /** Acceptor: the transport connection was accepted (Evt5). Call before {@link #run()}. */
    public void connectionAccepted() {
        machine.handle(Event.EVT5, null);
    }

    /** Requestor: A-ASSOCIATE request on the already connected socket (Evt1, then Evt2). */
    public void requestAssociation(AssociateRq rq) {
        machine.handle(Event.EVT1, rq);
    }

    public void accept(AssociateAc ac) {
        machine.handle(Event.EVT7, ac);
    }

    public void reject(AssociateRj rj) {
        machine.handle(Event.EVT8, rj);
    }

    /** P-DATA request (Evt9): the PDU is written to the socket at once, with any buffered before it. */
    public void sendPData(PDataTf pdu) {
        machine.handle(Event.EVT9, pdu);
    }

    /**
     * P-DATA request (Evt9) whose PDU may stay in the output buffer ({@code flush} false): it goes out with a
     * later PDU sent with flush, on {@link #flush()}, when {@link #FLUSH_BYTES} are waiting, or with the first
     * PDU sent more than {@link #MAX_HOLD_NANOS} after the oldest one waiting. Any other PDU (release, abort) writes the buffer first,
     * so the order on the wire is the order of the requests.
     */
    public void sendPData(PDataTf pdu, boolean flush) {
        machine.handle(Event.EVT9, flush ? pdu : new BufferedPData(pdu));
    }

    /** Writes the buffered PDUs to the socket (nothing when none is waiting). */
    public void flush() {
        boolean failed;
        synchronized (writeLock) {
            failed = !flushLocked();
        }
        if (failed) {
            machine.handle(Event.EVT17, null);
        }
    }

    /** A P-DATA-TF that may wait in the output buffer. */
    private record BufferedPData(PDataTf pdu) {
    }

    public void releaseRequest() {
        machine.handle(Event.EVT11, null);
    }

    public void releaseResponse() {
        machine.handle(Event.EVT14, null);
    }

    /** A-ABORT request from the user. Ignored when the association is already gone. */
    public void abort() {
        State s = machine.state();
        if (s == State.STA1 || s == State.STA2 || s == State.STA13) {
            closeTransport();
            return;
        }
        try {
            machine.handle(Event.EVT15, Abort.byUser());
        } catch (IllegalStateException e) {
            closeTransport();
        }
    }

    // ---- the reader loop ------------------------------------------------------------------------------------

    /** Reads PDUs until the connection closes and the machine is back in Sta1. */
    public void run() {
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(settings.idleTimeout().toMillis(), settings.artim().toMillis())));
            while (machine.state() != State.STA1) {
                if (framingLost) {
                    drain();
                    continue;
                }
                long before = in.count;
                in.startPdu();
                Pdu pdu;
                try {
                    pdu = PduDecoder.read(in, settings.maxPduLengthReceive());
                } catch (SocketTimeoutException e) {
                    if (in.count != before) {
                        framingLost = true; // timed out inside a PDU: the stream can no longer be framed
                        LOG.info("{}: peer stalled inside a PDU ({}), aborting", name, e.getMessage());
                        abortByProvider(Abort.REASON_NOT_SPECIFIED);
                    } else {
                        checkIdle();
                    }
                    continue;
                } catch (PduFormatException e) {
                    framingLost = true;
                    LOG.info("{}: invalid PDU ({}), aborting the association", name, e.getMessage());
                    machine.handle(Event.EVT19, e);
                    continue;
                }
                lastActivity = System.nanoTime();
                if (pdu == null) {
                    machine.handle(Event.EVT17, null);
                    break;
                }
                machine.handle(eventFor(pdu), pdu);
            }
        } catch (IOException e) {
            if (machine.state() != State.STA1) {
                LOG.debug("{}: transport closed: {}", name, e.toString());
                machine.handle(Event.EVT17, null);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: unexpected error, closing the connection", name, e);
            closeTransport();
        } finally {
            stopArtim();
            closeTransport();
            try {
                user.closed();
            } catch (RuntimeException e) {
                LOG.warn("{}: error in close handler", name, e);
            }
        }
    }

    private void abortByProvider(int reason) {
        State s = machine.state();
        if (s == State.STA13 || s == State.STA1) {
            return;
        }
        if (s == State.STA2) {
            closeTransport();
            return;
        }
        machine.handle(Event.EVT19, new PduFormatException(reason, "provider abort"));
    }

    private void checkIdle() {
        State s = machine.state();
        long idleNanos = System.nanoTime() - lastActivity;
        if (s == State.STA1 || s == State.STA2 || s == State.STA13) {
            return; // ARTIM is in charge there
        }
        if (idleNanos >= settings.idleTimeout().toNanos() && !user.busy()) {
            LOG.info("{}: no activity for {} s, aborting the association", name, settings.idleTimeout().toSeconds());
            abort();
        }
    }

    /** After a malformed PDU nothing more can be parsed: discard input until the peer or ARTIM closes. */
    private void drain() throws IOException {
        byte[] sink = new byte[4096];
        in.startPdu(); // nothing is framed any more: no PDU time limit, ARTIM bounds the wait
        try {
            if (in.read(sink) < 0) {
                machine.handle(Event.EVT17, null);
            }
        } catch (SocketTimeoutException e) {
            // keep waiting; ARTIM closes the connection
        }
    }

    private static Event eventFor(Pdu pdu) {
        return switch (pdu.type()) {
            case Pdu.TYPE_ASSOCIATE_RQ -> Event.EVT6;
            case Pdu.TYPE_ASSOCIATE_AC -> Event.EVT3;
            case Pdu.TYPE_ASSOCIATE_RJ -> Event.EVT4;
            case Pdu.TYPE_P_DATA_TF -> Event.EVT10;
            case Pdu.TYPE_RELEASE_RQ -> Event.EVT12;
            case Pdu.TYPE_RELEASE_RP -> Event.EVT13;
            default -> Event.EVT16;
        };
    }

    // ---- actions ------------------------------------------------------------------------------------------

    @Override
    public boolean perform(Action action, Event event, Object data) {
        switch (action) {
            case AE_1 -> machine.handle(Event.EVT2, data); // the caller connected the socket already
            case AE_2 -> send((AssociateRq) data);
            case AE_3 -> user.associateAccepted((AssociateAc) data);
            case AE_4 -> {
                user.associateRejected((AssociateRj) data);
                closeTransport();
            }
            case AE_5 -> startArtim();
            case AE_6 -> {
                stopArtim();
                AssociateRq rq = (AssociateRq) data;
                if ((rq.protocolVersion() & PROTOCOL_VERSION_1) == 0) {
                    send(new AssociateRj(AssociateRj.RESULT_PERMANENT, AssociateRj.SOURCE_PROVIDER_ACSE,
                            AssociateRj.REASON_PROTOCOL_VERSION_NOT_SUPPORTED));
                    startArtim();
                    return false;
                }
                user.associateIndication(rq);
                return true;
            }
            case AE_7 -> send((AssociateAc) data);
            case AE_8 -> {
                send((AssociateRj) data);
                startArtim();
            }
            case DT_1, AR_7 -> {
                if (data instanceof BufferedPData b) {
                    send(b.pdu(), false);
                } else {
                    send((PDataTf) data);
                }
            }
            case DT_2, AR_6 -> user.pData((PDataTf) data);
            case AR_1 -> send(new ReleaseRq());
            case AR_2 -> user.releaseIndication();
            case AR_3 -> {
                user.releaseConfirmed();
                closeTransport();
            }
            case AR_4 -> {
                send(new ReleaseRp());
                startArtim();
            }
            case AR_5 -> stopArtim();
            case AR_8 -> {
                // Release collision (PS3.8 9.2.3): the requestor answers at once and waits for the peer's
                // A-RELEASE-RP; the acceptor waits for the requestor's A-RELEASE-RP first (AR-10).
                if (machine.isRequestor()) {
                    machine.handle(Event.EVT14, null);
                }
            }
            case AR_9 -> send(new ReleaseRp());
            case AR_10 -> {
                user.releaseConfirmed();
                machine.handle(Event.EVT14, null);
            }
            case AA_1 -> {
                send(data instanceof Abort a ? a
                        : event == Event.EVT15 ? Abort.byUser() : Abort.byProvider(reasonOf(data)));
                startArtim();
            }
            case AA_2 -> {
                stopArtim();
                closeTransport();
            }
            case AA_3 -> {
                user.aborted((Abort) data, "peer sent A-ABORT");
                closeTransport();
            }
            case AA_4 -> user.aborted(null, "transport connection closed");
            case AA_5 -> stopArtim();
            case AA_6 -> LOG.debug("{}: PDU ignored in Sta13", name);
            case AA_7 -> send(Abort.byProvider(reasonOf(data)));
            case AA_8 -> {
                Abort abort = Abort.byProvider(reasonOf(data));
                send(abort);
                user.aborted(abort, data instanceof PduFormatException e ? e.getMessage() : "unexpected PDU");
                startArtim();
            }
        }
        return true;
    }

    private static int reasonOf(Object data) {
        return data instanceof PduFormatException e ? e.abortReason() : Abort.REASON_UNEXPECTED_PDU;
    }

    private void send(Pdu pdu) {
        send(pdu, true);
    }

    private void send(Pdu pdu, boolean flush) {
        boolean ok;
        synchronized (writeLock) {
            long now = System.nanoTime();
            if (pending.size() == 0) {
                pendingSince = now;
            }
            PduEncoder.encode(pdu, pending);
            ok = !(flush || pending.size() >= FLUSH_BYTES || now - pendingSince >= maxHoldNanos) || flushLocked();
        }
        if (!ok) {
            machine.handle(Event.EVT17, null);
        }
    }

    /** Writes what is buffered; false when the write failed (the transport is then closed). Holds writeLock. */
    private boolean flushLocked() {
        if (pending.size() == 0) {
            return true;
        }
        // A peer that stops reading would block this write forever; the watchdog closes the socket instead.
        ScheduledFuture<?> watchdog = timers.schedule(() -> {
            LOG.info("{}: peer does not read, closing the connection", name);
            closeTransport();
        }, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            pending.writeTo(out);
            out.flush();
            lastActivity = System.nanoTime();
            return true;
        } catch (IOException e) {
            LOG.debug("{}: write failed: {}", name, e.toString());
            closeTransport();
            return false;
        } finally {
            pending.reset();
            watchdog.cancel(false);
        }
    }

    /** The output buffer; shrinks back after a large message so an idle association holds little memory. */
    private static final class PendingBytes extends java.io.ByteArrayOutputStream {
        PendingBytes() {
            super(8 * 1024);
        }

        @Override
        public synchronized void reset() {
            super.reset();
            if (buf.length > 2 * FLUSH_BYTES) {
                buf = new byte[8 * 1024];
            }
        }
    }

    private void startArtim() {
        stopArtim();
        artim = timers.schedule(() -> machine.handle(Event.EVT18, null), settings.artim().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void stopArtim() {
        ScheduledFuture<?> t = artim;
        if (t != null) {
            t.cancel(false);
            artim = null;
        }
    }

    private void closeTransport() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: close: {}", name, e.toString());
        }
    }

    /**
     * Counts bytes read, to tell a timeout between PDUs from one inside a PDU, and bounds the time one PDU may
     * take: a PDU whose first byte arrived more than the idle timeout ago and that is still incomplete times out,
     * however steadily its bytes dribble in (the idle timeout counts whole PDUs, not bytes).
     */
    private static final class CountingInputStream extends FilterInputStream {
        volatile long count;
        private final long maxPduNanos;
        private long pduStartCount;
        private long firstByteNanos;

        CountingInputStream(InputStream in, long maxPduNanos) {
            super(in);
            this.maxPduNanos = maxPduNanos;
        }

        void startPdu() {
            pduStartCount = count;
        }

        private void checkPduTime() throws SocketTimeoutException {
            if (count != pduStartCount && System.nanoTime() - firstByteNanos > maxPduNanos) {
                throw new SocketTimeoutException("PDU incomplete " + (System.nanoTime() - firstByteNanos) / 1_000_000_000L
                        + " s after its first byte");
            }
        }

        private void counted(int n) {
            if (n > 0) {
                if (count == pduStartCount) {
                    firstByteNanos = System.nanoTime();
                }
                count += n;
            }
        }

        @Override
        public int read() throws IOException {
            checkPduTime();
            int b = super.read();
            counted(b >= 0 ? 1 : 0);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkPduTime();
            int n = super.read(b, off, len);
            counted(n);
            return n;
        }
    }
}
