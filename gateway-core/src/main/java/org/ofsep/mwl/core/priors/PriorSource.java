package org.ofsep.mwl.core.priors;

import java.util.List;

/** Where previous studies come from: a PACS over DIMSE (C-FIND) or DICOMweb (QIDO-RS). */
public interface PriorSource {

    /**
     * The patient's MR studies in the date range, each with its MR series; studies of another patient (ID or
     * issuer) are never returned.
     *
     * @throws PriorSourceException when the PACS cannot be asked (down, refusing, slow past the timeout, error)
     */
    List<PriorStudy> find(PriorQuery query) throws PriorSourceException;

    /**
     * The same question, with the studies the PACS returned that are not kept ({@link #find}'s) and why: what
     * {@code gateway priors} shows. A source that cannot tell returns none set aside.
     *
     * @throws PriorSourceException when the PACS cannot be asked
     */
    default PriorAnswer answer(PriorQuery query) throws PriorSourceException {
        return new PriorAnswer(find(query), List.of());
    }

    /** A short description for logs, /health and the CLI, e.g. "DIMSE PACS@pacs:104". */
    String describe();
}
