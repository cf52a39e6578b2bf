package org.ofsep.mwl.core.store;

import java.util.Optional;
import org.ofsep.mwl.core.domain.PerformedStep;

/**
 * MPPS persistence and its effect on the worklist (PS3.4 Annex F, IHE RAD-6/RAD-7). Each call is one
 * transaction: it stores the instance, moves the referenced scheduled steps (STARTED, COMPLETED,
 * DISCONTINUED), records a completed OFSEP exam in the patient's history and queues the status for the RIS.
 */
public interface PerformedStepService {

    enum Result {
        OK,
        /** N-CREATE for an SOP Instance UID that already exists. */
        DUPLICATE_INSTANCE,
        /** N-SET for an unknown SOP Instance UID. */
        NO_SUCH_INSTANCE,
        /** N-SET on an instance already COMPLETED or DISCONTINUED. */
        NOT_IN_PROGRESS,
        /** N-CREATE whose status is not IN PROGRESS, or an N-SET to a status that is not allowed. */
        INVALID_STATUS
    }

    /** N-CREATE. An unscheduled step (no matching SPS) is accepted and recorded. */
    Result create(PerformedStep step);

    /** N-SET, given the merged new state of the instance. */
    Result update(PerformedStep step);

    Optional<PerformedStep> find(String sopInstanceUid);
}
