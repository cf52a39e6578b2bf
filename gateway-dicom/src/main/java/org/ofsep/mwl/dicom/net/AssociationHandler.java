package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.dicom.acse.AcceptedContext;
import org.ofsep.mwl.dicom.acse.AcceptorPolicy;
import org.ofsep.mwl.dicom.acse.CallingPeers;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.DimseMessage;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.dul.UpperLayerProvider;
import org.ofsep.mwl.dicom.dul.UpperLayerSettings;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptor side of one association. The reader thread ({@link #run()}) runs the upper layer; once the
 * association is accepted a worker thread takes the DIMSE requests one at a time (we perform one operation at a
 * time) and hands them to the services. C-CANCEL is handled on the reader thread, so a running C-FIND sees it
 * between two responses.
 */
public final class AssociationHandler extends Association {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationHandler.class);
    /** The Error Comment (LO, at most 64 characters) of a request the gateway could not process. */
    static final String TRY_AGAIN = "not processed (gateway store unavailable?): send it again";
    /** Requests queued beyond this (the peer ignores the 1/1 asynchronous operations window) abort it. */
    private static final int MAX_QUEUED = 32;
    private final long maxQueuedBytes;
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private static final Object RELEASE = new Object();
    private static final Object CLOSED = new Object();

    private final Socket socket;
    private final CallingPeers peers;
    private final AcceptorPolicy policy;
    private final Map<String, DimseService> services;
    private final Executor workers;
    private final Slots slots;

    /** The association slots of the listener: a slot is needed only once a request is accepted. */
    public interface Slots {
        /** The A-ASSOCIATE-RQ arrived: the connection no longer counts as unassociated. */
        void requestReceived();

        /** Waits (bounded) for a free association slot; true when this association now holds one. */
        boolean acquire(String who);
    }
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** Message IDs of requests queued or running, and those of them the peer cancelled; guarded by itself. */
    private final Set<Integer> outstanding = new HashSet<>();
    private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
    private volatile boolean busy;
    private final CountDownLatch workerDone = new CountDownLatch(1);
    private volatile boolean workerStarted;
    private volatile CallingPeers.Peer peer;
    private volatile boolean gone;
    private volatile String endReason;

    public AssociationHandler(Socket socket, UpperLayerSettings ulSettings, long maxDataSetLength,
                              CallingPeers peers, AcceptorPolicy policy, Map<String, DimseService> services,
                              ScheduledExecutorService timers, Executor workers, Slots slots) throws IOException {
        super(socket.getInetAddress(), maxDataSetLength);
        this.maxQueuedBytes = maxDataSetLength; // with the message being assembled, at most twice that per association
        this.socket = socket;
        this.peers = peers;
        this.policy = policy;
        this.services = services;
        this.workers = workers;
        this.slots = slots;
        this.upperLayer = new UpperLayerProvider("assoc " + socket.getRemoteSocketAddress(), socket, ulSettings, this, timers);
    }

    /** Runs the association to its end on the calling thread. */
    public void run() {
        upperLayer.connectionAccepted();
        upperLayer.run();
    }

    // ---- upper layer indications (reader thread; only the request waits, bounded, for a slot) -------------

    @Override
    public void associateIndication(AssociateRq rq) {
        callingAeTitle = rq.callingAeTitle();
        calledAeTitle = rq.calledAeTitle();
        slots.requestReceived();
        AcceptorPolicy.Outcome outcome;
        try {
            outcome = policy.negotiate(rq, peers, remoteAddress);
        } catch (RuntimeException e) {
            LOG.warn("Association {}: negotiation failed, rejecting", describe(), e);
            upperLayer.reject(new AssociateRj(AssociateRj.RESULT_TRANSIENT, AssociateRj.SOURCE_SERVICE_USER,
                    AssociateRj.REASON_NO_REASON));
            return;
        }
        if (!outcome.accepted()) {
            LOG.info("Association {} rejected ({}): {}", describe(), outcome.reject().describe(), outcome.reason());
            upperLayer.reject(outcome.reject());
            return;
        }
        if (!slots.acquire(describe())) {
            upperLayer.reject(new AssociateRj(AssociateRj.RESULT_TRANSIENT, AssociateRj.SOURCE_PROVIDER_PRESENTATION,
                    AssociateRj.REASON_LOCAL_LIMIT_EXCEEDED));
            return;
        }
        peer = outcome.peer();
        contexts = outcome.contexts();
        peerMaxPduLength = outcome.peerMaxPduLength();
        LOG.info("Association {} accepted: {}, peer max PDU {}, implementation {} {}", describe(), outcome.reason(),
                peerMaxPduLength, rq.userInformation().implementationClassUid(),
                rq.userInformation().implementationVersionName() == null ? "" : rq.userInformation().implementationVersionName());
        upperLayer.accept(outcome.accept());
        workerStarted = true;
        workers.execute(this::workLoop);
    }

    @Override
    protected void onMessage(DimseMessage message) {
        Command cmd = message.command();
        if (cmd.commandField() == CommandField.C_CANCEL_RQ) {
            int id = cmd.messageIdBeingRespondedTo();
            synchronized (outstanding) {
                // a C-CANCEL arriving after the final response is ignored, so it cannot hit a later request
                if (outstanding.contains(id)) {
                    cancelled.add(id);
                }
            }
            LOG.debug("Association {}: C-CANCEL for message {}", describe(), id);
            return;
        }
        long size = message.dataSet() == null ? 0 : message.dataSet().length;
        if (inbox.size() >= MAX_QUEUED || queuedBytes.get() + size > maxQueuedBytes) {
            LOG.info("Association {}: too many requests outstanding ({}, {} bytes), aborting", describe(), inbox.size(),
                    queuedBytes.get() + size);
            upperLayer.abort();
            return;
        }
        queuedBytes.addAndGet(size);
        if (!CommandField.isResponse(cmd.commandField())) {
            synchronized (outstanding) {
                outstanding.add(cmd.messageId());
            }
        }
        inbox.add(message);
    }

    @Override
    public boolean busy() {
        return busy;
    }

    @Override
    public void releaseIndication() {
        inbox.add(RELEASE); // answered by the worker once the running operation is over
    }

    @Override
    public void releaseConfirmed() {
        end("released");
    }

    @Override
    public void aborted(Abort abort, String why) {
        end(abort == null ? why : (abort.source() == Abort.SOURCE_SERVICE_USER ? "aborted by service user" : "aborted by provider, reason " + abort.reason()) + " (" + why + ")");
    }

    @Override
    public void closed() {
        end("closed");
        if (peer != null) { // rejected associations were logged when rejected
            LOG.info("Association {} ended: {}", describe(), endReason);
        }
    }

    private void end(String why) {
        if (endReason == null) {
            endReason = why;
        }
        gone = true;
        inbox.add(CLOSED);
    }

    // ---- the worker --------------------------------------------------------------------------------------

    /**
     * Waits (bounded) for the worker to finish its last request after the association ended, so that the
     * association's threads are free before its slot is given to another.
     */
    public void awaitWorker(Duration timeout) {
        if (!workerStarted) {
            return;
        }
        try {
            workerDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void workLoop() {
        try {
            while (true) {
                Object next = inbox.take();
                if (next instanceof DimseMessage m && m.dataSet() != null) {
                    queuedBytes.addAndGet(-m.dataSet().length);
                }
                if (next == CLOSED) {
                    return;
                }
                if (next == RELEASE) {
                    if (!gone) {
                        endReason = "released by " + callingAeTitle;
                        try {
                            upperLayer.releaseResponse();
                        } catch (IllegalStateException e) {
                            LOG.debug("Association {}: release response refused: {}", describe(), e.getMessage());
                        }
                    }
                    continue;
                }
                if (!gone) {
                    busy = true;
                    try {
                        dispatch((DimseMessage) next);
                    } finally {
                        busy = false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workerDone.countDown();
        }
    }

    private void dispatch(DimseMessage message) {
        Command cmd = message.command();
        int field = cmd.commandField();
        if (CommandField.isResponse(field)) {
            LOG.info("Association {}: unexpected {} ignored", describe(), CommandField.name(field));
            return;
        }
        AcceptedContext pc = contexts.get(message.contextId());
        DimseService service = services.get(pc.abstractSyntax());
        Context ctx = new Context(message, pc);
        try {
            if (service == null || !service.commandFields().contains(field)) {
                LOG.info("Association {}: {} not supported on {}", describe(), CommandField.name(field), pc.abstractSyntax());
                ctx.respond(errorResponse(cmd, Status.UNRECOGNIZED_OPERATION), null);
            } else if (cmd.sopClassUid() != null && !cmd.sopClassUid().equals(pc.abstractSyntax())) {
                LOG.info("Association {}: {} for SOP class {} on a {} context", describe(), CommandField.name(field),
                        cmd.sopClassUid(), pc.abstractSyntax());
                ctx.respond(errorResponse(cmd, Status.SOP_CLASS_NOT_SUPPORTED), null);
            } else {
                service.handle(ctx);
            }
        } catch (IOException e) {
            LOG.debug("Association {}: {} not answered: {}", describe(), CommandField.name(field), e.toString());
        } catch (RuntimeException e) {
            // the cause on the line itself (a store that is down, a full disk): the stack trace follows it
            LOG.warn("Association {}: {} failed: {}", describe(), CommandField.name(field), e.toString(), e);
            try {
                Command rsp = errorResponse(cmd, field == CommandField.C_FIND_RQ ? Status.UNABLE_TO_PROCESS : Status.PROCESSING_FAILURE);
                // what the modality can do about it: most such failures pass (the store down, a full disk), and an
                // N-SET COMPLETED not sent again leaves the step STARTED (no CM to the RIS, no exam history)
                rsp.set(Command.ERROR_COMMENT, TRY_AGAIN);
                ctx.respond(rsp, null);
            } catch (IOException ignored) {
                // the association is gone
            }
        } finally {
            // a service that ended without a flushed final response (an exception) leaves nothing buffered
            upperLayer.flush();
            synchronized (outstanding) {
                outstanding.remove(cmd.messageId());
                cancelled.remove(cmd.messageId());
            }
        }
    }

    private static Command errorResponse(Command request, int status) {
        Command rsp = Command.response(request, status, false);
        String instance = request.getString(Command.AFFECTED_SOP_INSTANCE_UID);
        if (instance == null) {
            instance = request.getString(Command.REQUESTED_SOP_INSTANCE_UID);
        }
        if (instance != null) {
            rsp.set(Command.AFFECTED_SOP_INSTANCE_UID, instance);
        }
        return rsp;
    }

    /** The view of this association one request gets. */
    private final class Context implements ServiceContext {
        private final DimseMessage request;
        private final AcceptedContext pc;

        Context(DimseMessage request, AcceptedContext pc) {
            this.request = request;
            this.pc = pc;
        }

        @Override
        public String callingAeTitle() {
            return AssociationHandler.this.callingAeTitle;
        }

        @Override
        public String calledAeTitle() {
            return AssociationHandler.this.calledAeTitle;
        }

        @Override
        public InetAddress remoteAddress() {
            return remoteAddress;
        }

        @Override
        public CallingPeers.Peer peer() {
            return peer;
        }

        @Override
        public AcceptedContext presentationContext() {
            return pc;
        }

        @Override
        public DimseMessage request() {
            return request;
        }

        @Override
        public void respond(Command response, byte[] dataSet) throws IOException {
            send(response, dataSet, true);
        }

        @Override
        public void respondPending(Command response, byte[] dataSet) throws IOException {
            send(response, dataSet, false);
        }

        private void send(Command response, byte[] dataSet, boolean flush) throws IOException {
            if (dataSet != null) {
                response.set(Command.COMMAND_DATA_SET_TYPE, Command.DATA_SET_PRESENT);
            } else {
                response.set(Command.COMMAND_DATA_SET_TYPE, Command.NO_DATA_SET);
            }
            AssociationHandler.this.send(new DimseMessage(pc.id(), response, dataSet), flush);
        }

        @Override
        public boolean isCancelled() {
            return gone || cancelled.contains(request.command().messageId());
        }
    }
}
