package org.ofsep.mwl.dicom.net;

import org.ofsep.mwl.core.domain.Station;

/** A protocol-layer class that breaks the rule on purpose (test sources only): ArchitectureTest checks it. */
public final class ArchViolationSample {
    private ArchViolationSample() {
    }

    static String ae(Station s) {
        return s.aeTitle();
    }
}
