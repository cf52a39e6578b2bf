package org.ofsep.mwl.dicom.net;

import java.net.InetAddress;
import java.util.Map;
import org.ofsep.mwl.dicom.acse.AcceptedContext;
import org.ofsep.mwl.dicom.dimse.DimseFormatException;
import org.ofsep.mwl.dicom.dimse.DimseMessage;
import org.ofsep.mwl.dicom.dimse.MessageAssembler;
import org.ofsep.mwl.dicom.dimse.MessageFragmenter;
import org.ofsep.mwl.dicom.dul.State;
import org.ofsep.mwl.dicom.dul.UpperLayerProvider;
import org.ofsep.mwl.dicom.dul.UpperLayerUser;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both ends of an established association share: the negotiated presentation contexts, the peer's
 * maximum PDU length, DIMSE message reassembly from P-DATA and fragmentation into P-DATA. The acceptor
 * ({@link AssociationHandler}) and the requestor ({@code scu.DicomClient}) add their own side.
 */
public abstract class Association implements UpperLayerUser {

    private static final Logger LOG = LoggerFactory.getLogger(Association.class);

    /** Largest command set accepted (they are a few hundred bytes). */
    public static final int MAX_COMMAND_LENGTH = 64 * 1024;

    protected volatile UpperLayerProvider upperLayer;
    protected volatile Map<Integer, AcceptedContext> contexts = Map.of();
    protected volatile long peerMaxPduLength;
    protected volatile String callingAeTitle = "";
    protected volatile String calledAeTitle = "";
    protected final InetAddress remoteAddress;
    private final MessageAssembler assembler;

    protected Association(InetAddress remoteAddress, long maxDataSetLength) {
        this.remoteAddress = remoteAddress;
        this.assembler = new MessageAssembler(MAX_COMMAND_LENGTH, maxDataSetLength, id -> contexts.containsKey(id));
    }

    public String callingAeTitle() {
        return callingAeTitle;
    }

    public String calledAeTitle() {
        return calledAeTitle;
    }

    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    public Map<Integer, AcceptedContext> contexts() {
        return contexts;
    }

    public long peerMaxPduLength() {
        return peerMaxPduLength;
    }

    /** "MR_GE@10.0.0.5 -> MWLGW" for logs: AE titles and address only, never patient data. */
    public String describe() {
        return callingAeTitle + "@" + (remoteAddress == null ? "?" : remoteAddress.getHostAddress()) + " -> " + calledAeTitle;
    }

    public boolean isEstablished() {
        UpperLayerProvider ul = upperLayer;
        if (ul == null) {
            return false;
        }
        State s = ul.state();
        return s == State.STA6 || s == State.STA8;
    }

    /** Sends a DIMSE message, fragmented to the peer's maximum PDU length, and writes it to the socket at once. */
    public void send(DimseMessage message) throws AssociationClosedException {
        send(message, true);
    }

    /**
     * Sends a DIMSE message, fragmented to the peer's maximum PDU length. With {@code flush} false its PDUs may
     * wait in the output buffer for the next messages (see {@link UpperLayerProvider#sendPData(PDataTf, boolean)}):
     * for a stream of pending responses, whose last (final) response is then sent with flush.
     */
    public void send(DimseMessage message, boolean flush) throws AssociationClosedException {
        if (!contexts.containsKey(message.contextId())) {
            throw new IllegalArgumentException("presentation context " + message.contextId() + " not accepted");
        }
        UpperLayerProvider ul = upperLayer;
        try {
            MessageFragmenter.fragment(message, peerMaxPduLength, pdu -> ul.sendPData(pdu, false));
            if (flush) {
                ul.flush();
            }
        } catch (IllegalStateException e) {
            throw new AssociationClosedException("association " + describe() + " no longer accepts data: " + e.getMessage());
        }
        if (!isEstablished()) {
            throw new AssociationClosedException("association " + describe() + " ended while sending");
        }
    }

    @Override
    public final void pData(PDataTf pdu) {
        try {
            for (DimseMessage m : assembler.add(pdu)) {
                onMessage(m);
            }
        } catch (DimseFormatException e) {
            LOG.info("Association {}: invalid DIMSE message ({}), aborting", describe(), e.getMessage());
            upperLayer.abort();
        }
    }

    /** A complete DIMSE message arrived (called on the reader thread: must not block). */
    protected abstract void onMessage(DimseMessage message);
}
