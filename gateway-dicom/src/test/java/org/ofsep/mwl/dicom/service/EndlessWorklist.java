package org.ofsep.mwl.dicom.service;

import java.util.List;
import java.util.function.Predicate;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;

/** Streams items slowly and without end: only a C-CANCEL lets the query finish within the test. */
public final class EndlessWorklist implements WorklistStore {
    public volatile int handedOut;
    private final long pauseMillis;

    /** 2 ms between items. */
    public EndlessWorklist() {
        this(2);
    }

    /** @param pauseMillis between two items; 0 streams as fast as the SCP takes them */
    public EndlessWorklist(long pauseMillis) {
        this.pauseMillis = pauseMillis;
    }

    @Override
    public int query(WorklistQuery query, Predicate<WorklistItem> sink) {
        for (int i = 0; i < 1_000_000; i++) {
            handedOut = i + 1;
            if (!sink.test(InMemoryWorklist.item("SPS" + i, "PAT" + i, "PATIENT^" + i, "MR_GE", java.time.LocalDateTime.of(2026, 11, 25, 0, 0).plusMinutes(i), null))) {
                return i + 1;
            }
            if (pauseMillis == 0) {
                continue;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return i + 1;
            }
        }
        return 1_000_000;
    }

    @Override
    public java.util.Optional<WorklistItem> findBySpsId(String spsId) {
        return java.util.Optional.empty();
    }

    @Override
    public List<WorklistItem> findByAccession(String accessionNumber) {
        return List.of();
    }

    @Override
    public List<org.ofsep.mwl.core.domain.PriorExam> history(String patientId) {
        return List.of();
    }

    @Override
    public java.util.Map<org.ofsep.mwl.core.domain.SpsStatus, Long> countByStatus() {
        return java.util.Map.of();
    }
}
