package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import org.ofsep.mwl.dicom.acse.AcceptedContext;
import org.ofsep.mwl.dicom.acse.CallingPeers;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.DimseMessage;

/**
 * What a service sees of the association while it handles one request. Defined by the network layer and
 * implemented by {@link AssociationHandler}; what the peer means to the gateway (a configured station) is the
 * services' business ({@code service.StationPeers#station}).
 */
public interface ServiceContext {

    String callingAeTitle();

    String calledAeTitle();

    InetAddress remoteAddress();

    /** The peer behind the calling AE title, as {@link CallingPeers} found it at association time. */
    CallingPeers.Peer peer();

    /** The presentation context of the request: its abstract and transfer syntax. */
    AcceptedContext presentationContext();

    DimseMessage request();

    /**
     * Sends one response on the request's presentation context, with whatever pending responses are still
     * buffered before it; {@code dataSet} may be null.
     */
    void respond(Command response, byte[] dataSet) throws IOException;

    /**
     * Sends a pending response that may wait in the output buffer with the next ones, so that a long C-FIND
     * answer takes a few socket writes rather than one per match. The buffer goes out when it is full, when it
     * has waited a few milliseconds and another response comes, and with the final response ({@link #respond}).
     * The default sends at once.
     */
    default void respondPending(Command response, byte[] dataSet) throws IOException {
        respond(response, dataSet);
    }

    /** True once the peer sent a C-CANCEL for this request, or the association is gone. */
    boolean isCancelled();
}
