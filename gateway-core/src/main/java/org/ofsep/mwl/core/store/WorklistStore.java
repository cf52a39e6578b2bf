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

    Optional<WorklistItem> findBySpsId(String spsId);

    List<WorklistItem> findByAccession(String accessionNumber);

    /** The patient's completed exams, newest first (history used as comparable priors). */
    List<PriorExam> history(String patientId);

    /** Number of items per status, for health and metrics. */
    java.util.Map<org.ofsep.mwl.core.domain.SpsStatus, Long> countByStatus();
}
