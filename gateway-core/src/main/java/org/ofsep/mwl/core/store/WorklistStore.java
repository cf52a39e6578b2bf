package org.ofsep.mwl.core.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.WorklistItem;

/** Read side of the worklist, queried with indexed SQL. */
public interface WorklistStore {

    /**
     * Streams the items matching {@code query}, ordered by scheduled start, to {@code sink} one at a time,
     * without loading them all first. The sink returns false to stop early (C-CANCEL, limit reached).
     *
     * @return the number of items handed to the sink
     */
    int query(WorklistQuery query, Predicate<WorklistItem> sink);

    /**
     * As {@link #query(WorklistQuery, Predicate)}, stopping (the running statement cancelled) as soon as
     * {@code cancelled} turns true, e.g. when the client that asked is gone: a query that matches nothing for a
     * long time would otherwise keep running after it left. This default only checks between items.
     */
    default int query(WorklistQuery query, Predicate<WorklistItem> sink, java.util.function.BooleanSupplier cancelled) {
        return query(query, item -> !cancelled.getAsBoolean() && sink.test(item));
    }

    Optional<WorklistItem> findBySpsId(String spsId);

    List<WorklistItem> findByAccession(String accessionNumber);

    /** The patient's completed exams, newest first (history used as comparable priors). */
    List<PriorExam> history(String patientId);

    /** Number of items per status, for health and metrics. */
    java.util.Map<org.ofsep.mwl.core.domain.SpsStatus, Long> countByStatus();
}
