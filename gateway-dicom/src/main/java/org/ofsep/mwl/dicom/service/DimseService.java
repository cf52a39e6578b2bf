package org.ofsep.mwl.dicom.service;

import java.io.IOException;
import java.util.Set;

/** A DIMSE service class provider (SCP) for one or more SOP classes. */
public interface DimseService {

    /** The SOP Class UIDs (abstract syntaxes) served. */
    Set<String> sopClasses();

    /** The request Command Field values handled (e.g. C-FIND-RQ); others get "unrecognized operation". */
    Set<Integer> commandFields();

    /**
     * Handles one request and sends its response(s) through {@code context}. Runs on the association's worker
     * thread, one request at a time.
     *
     * @throws IOException when the association is gone while responding
     */
    void handle(ServiceContext context) throws IOException;
}
