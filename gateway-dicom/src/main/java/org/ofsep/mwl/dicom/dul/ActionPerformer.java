package org.ofsep.mwl.dicom.dul;

/**
 * Carries out the side effects of the protocol machine's actions (send a PDU, start a timer, tell the user).
 * The machine decides which action runs; the performer only does it.
 */
public interface ActionPerformer {

    /**
     * Performs {@code action} for {@code event} carrying {@code data} (the PDU received or the primitive's
     * parameter). For AE-6 returns true when the A-ASSOCIATE-RQ is acceptable to the service provider (the
     * performer has then issued the A-ASSOCIATE indication) and false when it sent an A-ASSOCIATE-RJ itself.
     * The returned value is ignored for every other action.
     */
    boolean perform(Action action, Event event, Object data);
}
