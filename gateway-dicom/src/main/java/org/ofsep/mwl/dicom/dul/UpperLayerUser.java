package org.ofsep.mwl.dicom.dul;

import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PDataTf;

/**
 * The indications and confirmations the upper layer gives its user (the association). Called while the
 * protocol machine handles an event: implementations must not block; they may call the provider back (the
 * call is queued and handled right after the current action).
 */
public interface UpperLayerUser {

    /** A-ASSOCIATE indication (acceptor): answer with {@link UpperLayerProvider#accept} or {@code reject}. */
    default void associateIndication(AssociateRq rq) {
    }

    /** A-ASSOCIATE confirmation, accepted (requestor). */
    default void associateAccepted(AssociateAc ac) {
    }

    /** A-ASSOCIATE confirmation, rejected (requestor). */
    default void associateRejected(AssociateRj rj) {
    }

    /** P-DATA indication. */
    void pData(PDataTf pdu);

    /** A-RELEASE indication: answer with {@link UpperLayerProvider#releaseResponse()} when done. */
    void releaseIndication();

    /** A-RELEASE confirmation (release completed, also after a release collision). */
    default void releaseConfirmed() {
    }

    /**
     * A-ABORT or A-P-ABORT indication.
     *
     * @param abort the A-ABORT PDU received or sent, or null when the transport closed under the association
     */
    void aborted(Abort abort, String why);

    /** True while the user performs an operation: the idle timeout does not apply then. */
    default boolean busy() {
        return false;
    }

    /** The transport connection is closed and the machine is idle; called once, last. */
    default void closed() {
    }
}
