package org.ofsep.mwl.dicom.scu;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.ofsep.mwl.dicom.acse.AcceptedContext;
import org.ofsep.mwl.dicom.acse.RequestorPolicy;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomCodecException;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.DimseMessage;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.dul.UpperLayerProvider;
import org.ofsep.mwl.dicom.dul.UpperLayerSettings;
import org.ofsep.mwl.dicom.net.Association;
import org.ofsep.mwl.dicom.net.AssociationClosedException;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;

/**
 * A minimal association requestor (SCU): C-ECHO, C-FIND (streamed, cancellable), N-CREATE and N-SET, one
 * operation at a time. Used by {@code gateway query}, the benchmarks and the tests.
 *
 * <pre>
 * try (DicomClient c = DicomClient.connect("127.0.0.1", 11112, "MR_GE", "MWLGW",
 *         List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
 *     int status = c.find(UID.MODALITY_WORKLIST_FIND, keys, match -> { ...; return true; });
 *     c.release();
 * }
 * </pre>
 */
public final class DicomClient extends Association implements AutoCloseable {

    /**
     * @param connectTimeout  TCP connect and association negotiation
     * @param responseTimeout longest wait for any one response
     * @param maxPduLength    largest P-DATA-TF we accept (advertised)
     * @param tls             TLS context, or null for plain TCP
     */
    public record Options(Duration connectTimeout, Duration responseTimeout, long maxPduLength, SSLContext tls) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 16384, null);
        }

        public Options withMaxPduLength(long v) {
            return new Options(connectTimeout, responseTimeout, v, tls);
        }

        public Options withTls(SSLContext v) {
            return new Options(connectTimeout, responseTimeout, maxPduLength, v);
        }
    }

    private static final Object RELEASED = new Object();
    private static final Object CLOSED = new Object();
    private static final ScheduledExecutorService TIMERS = UpperLayerProvider.timerExecutor(r -> {
        Thread t = new Thread(r, "dicom-scu-timer");
        t.setDaemon(true);
        return t;
    });

    private final Options options;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private volatile AssociateRq request;
    private volatile String closeReason;

    private DicomClient(Socket socket, Options options) {
        super(socket.getInetAddress(), 64L * 1024 * 1024);
        this.options = options;
    }

    /** Connects, negotiates one presentation context per abstract syntax, and waits for the answer. */
    public static DicomClient connect(String host, int port, String callingAeTitle, String calledAeTitle,
                                      List<String> abstractSyntaxes, Options options) throws IOException {
        long start = System.nanoTime();
        Socket socket = options.tls() == null ? new Socket() : options.tls().getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) options.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            if (socket instanceof javax.net.ssl.SSLSocket tls) {
                // the TLS handshake here, bounded (else it would run, unbounded, inside the first write)
                socket.setSoTimeout((int) Math.max(1, remaining(start, options.connectTimeout()).toMillis()));
                tls.startHandshake();
                socket.setSoTimeout(0);
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        DicomClient c = new DicomClient(socket, options);
        c.callingAeTitle = callingAeTitle;
        c.calledAeTitle = calledAeTitle;
        c.upperLayer = new UpperLayerProvider("scu " + callingAeTitle + "->" + calledAeTitle, socket,
                new UpperLayerSettings(options.maxPduLength(), options.connectTimeout(), options.responseTimeout()), c, TIMERS);
        Thread reader = new Thread(c.upperLayer::run, "dicom-scu-reader");
        reader.setDaemon(true);
        c.request = RequestorPolicy.request(callingAeTitle, calledAeTitle, abstractSyntaxes, options.maxPduLength());
        c.upperLayer.requestAssociation(c.request); // Sta1 -> Sta5 before the reader starts (it stops in Sta1)
        reader.start();
        // the connection, the TLS handshake and the association negotiation together within connectTimeout
        Object answer = c.await(remaining(start, options.connectTimeout()), options.connectTimeout());
        if (answer instanceof AssociateRj rj) {
            throw new AssociationRejectedException(rj);
        }
        if (!(answer instanceof AssociateAc)) {
            c.upperLayer.abort();
            throw new AssociationClosedException("no association with " + calledAeTitle + ": " + c.closeReason);
        }
        return c;
    }

    private static Duration remaining(long startNanos, Duration budget) {
        long left = budget.toNanos() - (System.nanoTime() - startNanos);
        return Duration.ofNanos(Math.max(1_000_000, left));
    }

    private volatile java.util.concurrent.ScheduledFuture<?> deadline;
    private volatile boolean deadlinePassed;

    /**
     * Aborts the association {@code within} from now, whatever it is doing: bounds a whole exchange (several
     * operations) rather than each wait. {@link #deadlinePassed} says afterwards whether it fired.
     */
    public DicomClient abortAfter(Duration within) {
        deadline = TIMERS.schedule(() -> {
            deadlinePassed = true;
            closeReason = "aborted: the deadline of the exchange passed";
            upperLayer.abort();
            inbox.add(CLOSED); // the operation waiting for an answer ends now, not when the peer closes
        }, Math.max(1, within.toNanos()), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Whether the {@link #abortAfter} deadline fired. */
    public boolean deadlinePassed() {
        return deadlinePassed;
    }

    /** The presentation context accepted for {@code abstractSyntax}, if any. */
    public AcceptedContext context(String abstractSyntax) throws IOException {
        for (AcceptedContext pc : contexts.values()) {
            if (pc.abstractSyntax().equals(abstractSyntax)) {
                return pc;
            }
        }
        throw new IOException("no accepted presentation context for " + abstractSyntax);
    }

    /** C-ECHO; returns the status. */
    public int echo() throws IOException {
        AcceptedContext pc = context(org.ofsep.mwl.dicom.acse.Implementation.VERIFICATION);
        Command rq = Command.request(CommandField.C_ECHO_RQ, pc.abstractSyntax(), nextMessageId(), false);
        send(new DimseMessage(pc.id(), rq, null));
        return awaitResponse(rq.messageId()).status();
    }

    /**
     * C-FIND. Each pending match is handed to {@code onMatch} as it arrives; when it returns false a C-CANCEL is
     * sent and the remaining pending responses are discarded.
     *
     * @return the final status (Success, Cancel, or a failure)
     */
    public int find(String sopClass, Attributes keys, Predicate<Attributes> onMatch) throws IOException {
        AcceptedContext pc = context(sopClass);
        Command rq = Command.request(CommandField.C_FIND_RQ, sopClass, nextMessageId(), true);
        rq.set(Command.PRIORITY, 0);
        send(new DimseMessage(pc.id(), rq, DicomWriter.write(keys, ts(pc))));
        boolean cancelled = false;
        while (true) {
            DimseResponse rsp = awaitResponse(rq.messageId());
            if (!Status.isPending(rsp.status())) {
                return rsp.status();
            }
            if (!cancelled && rsp.dataSet() != null && !onMatch.test(rsp.dataSet())) {
                cancelled = true;
                Command cancel = new Command().set(Command.COMMAND_FIELD, CommandField.C_CANCEL_RQ)
                        .set(Command.MESSAGE_ID_BEING_RESPONDED_TO, rq.messageId())
                        .set(Command.COMMAND_DATA_SET_TYPE, Command.NO_DATA_SET);
                send(new DimseMessage(pc.id(), cancel, null));
            }
        }
    }

    /** N-CREATE of {@code instanceUid} (null lets the SCP choose) with {@code attributes}. */
    public DimseResponse nCreate(String sopClass, String instanceUid, Attributes attributes) throws IOException {
        AcceptedContext pc = context(sopClass);
        Command rq = Command.request(CommandField.N_CREATE_RQ, sopClass, nextMessageId(), true);
        rq.set(Command.AFFECTED_SOP_INSTANCE_UID, instanceUid);
        send(new DimseMessage(pc.id(), rq, DicomWriter.write(attributes, ts(pc))));
        return awaitResponse(rq.messageId());
    }

    /** N-SET of {@code instanceUid} with the modifications in {@code attributes}. */
    public DimseResponse nSet(String sopClass, String instanceUid, Attributes attributes) throws IOException {
        AcceptedContext pc = context(sopClass);
        Command rq = Command.request(CommandField.N_SET_RQ, sopClass, nextMessageId(), true);
        rq.set(Command.REQUESTED_SOP_INSTANCE_UID, instanceUid);
        send(new DimseMessage(pc.id(), rq, DicomWriter.write(attributes, ts(pc))));
        return awaitResponse(rq.messageId());
    }

    /** A-RELEASE; waits for the A-RELEASE-RP. */
    public void release() throws IOException {
        if (!isEstablished()) {
            return;
        }
        upperLayer.releaseRequest();
        Object o = await(options.responseTimeout());
        while (o instanceof DimseMessage) {
            o = await(options.responseTimeout()); // late responses before the release confirmation
        }
        if (o != RELEASED && o != CLOSED) {
            upperLayer.abort();
            throw new AssociationClosedException("release not confirmed");
        }
    }

    public void abort() {
        upperLayer.abort();
    }

    /** Releases when still established; aborts when the release fails. */
    @Override
    public void close() {
        try {
            release();
        } catch (IOException e) {
            abort();
        } finally {
            var d = deadline;
            if (d != null) {
                d.cancel(false);
            }
        }
    }

    private int nextMessageId() {
        return messageIds.updateAndGet(i -> i >= 0xFFFF ? 1 : i + 1);
    }

    private static TransferSyntax ts(AcceptedContext pc) throws DicomCodecException {
        return TransferSyntax.requireSupported(pc.transferSyntax());
    }

    private DimseResponse awaitResponse(int messageId) throws IOException {
        while (true) {
            Object o = await(options.responseTimeout());
            if (o instanceof DimseMessage m) {
                Command c = m.command();
                if (!CommandField.isResponse(c.commandField()) || c.messageIdBeingRespondedTo() != messageId) {
                    continue; // not ours (we run one operation at a time; stray messages are dropped)
                }
                Attributes ds = null;
                if (m.dataSet() != null) {
                    ds = DicomReader.read(m.dataSet(), ts(contexts.get(m.contextId())));
                }
                return new DimseResponse(c, ds);
            }
            throw new AssociationClosedException("association ended while waiting for a response: " + closeReason);
        }
    }

    private Object await(Duration timeout) throws IOException {
        return await(timeout, timeout);
    }

    /** Waits {@code timeout}; the error names {@code bound}, the whole time allowed (of which this is what is left). */
    private Object await(Duration timeout, Duration bound) throws IOException {
        try {
            Object o = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) {
                upperLayer.abort();
                throw new AssociationClosedException("no answer within " + bound.toSeconds() + " s");
            }
            if (o == CLOSED) {
                inbox.add(CLOSED); // every later wait sees it too
            }
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upperLayer.abort();
            throw new AssociationClosedException("interrupted");
        }
    }

    // ---- upper layer callbacks ----------------------------------------------------------------------------

    @Override
    public void associateAccepted(AssociateAc ac) {
        contexts = Map.copyOf(RequestorPolicy.acceptedContexts(request, ac));
        peerMaxPduLength = ac.userInformation() == null ? 0 : ac.userInformation().maxPduLength();
        inbox.add(ac);
    }

    @Override
    public void associateRejected(AssociateRj rj) {
        closeReason = rj.describe();
        inbox.add(rj);
    }

    @Override
    protected void onMessage(DimseMessage message) {
        inbox.add(message);
    }

    @Override
    public void releaseIndication() {
        // An SCP asking to release is unusual but allowed: agree.
        upperLayer.releaseResponse();
    }

    @Override
    public void releaseConfirmed() {
        inbox.add(RELEASED);
    }

    @Override
    public void aborted(Abort abort, String why) {
        closeReason = why;
        inbox.add(CLOSED);
    }

    @Override
    public void closed() {
        if (closeReason == null) {
            closeReason = "connection closed";
        }
        inbox.add(CLOSED);
    }
}
