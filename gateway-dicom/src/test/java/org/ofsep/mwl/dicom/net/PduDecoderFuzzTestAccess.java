package org.ofsep.mwl.dicom.net;

import java.util.List;
import java.util.Random;

/** Reuses the PDU fuzz mutator for socket-level tests. */
final class PduDecoderFuzzTestAccess {
    private PduDecoderFuzzTestAccess() {
    }

    static byte[] mutate(byte[] seed, Random r) {
        return org.ofsep.mwl.dicom.pdu.PduFuzzMutator.mutate(seed, List.of(seed), r);
    }
}
