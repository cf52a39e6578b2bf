package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.util.Set;

/**
 * A DIMSE service class provider (SCP) for one or more SOP classes, as the listener sees it. The protocol layers
 * define this interface and call it; the services ({@code dicom.service}) implement it and {@code DicomServer}
 * hands them to the {@link DicomListener}, so the network layer never imports a service.
 */
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
