package org.ofsep.mwl.dicom.dul;

import org.ofsep.mwl.dicom.service.VerificationScp;

/** A protocol-layer class that imports a service on purpose (test sources only): ArchitectureTest checks it. */
public final class ArchViolationSample {
    private ArchViolationSample() {
    }

    static Object verification() {
        return new VerificationScp();
    }
}
