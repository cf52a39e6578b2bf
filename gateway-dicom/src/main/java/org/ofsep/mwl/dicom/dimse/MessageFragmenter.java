package org.ofsep.mwl.dicom.dimse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.PresentationDataValue;

/**
 * Splits a DIMSE message into P-DATA-TF PDUs no longer than the peer's maximum (PS3.8 9.3.5, D.1): each PDU
 * carries one PDV whose item adds 6 bytes (4 length, 1 context id, 1 control header) to the fragment. A peer
 * maximum of 0 means unlimited: command and data set then go in one PDV each.
 */
public final class MessageFragmenter {

    /** PDV item length field (4), presentation context id (1), message control header (1). */
    public static final int PDV_OVERHEAD = 6;

    private MessageFragmenter() {
    }

    public static void fragment(DimseMessage message, long peerMaxPduLength, Consumer<PDataTf> sink) {
        int maxFragment = peerMaxPduLength == 0 ? Integer.MAX_VALUE - 16
                : (int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, peerMaxPduLength - PDV_OVERHEAD));
        split(message.contextId(), true, message.command().encode(), maxFragment, sink);
        if (message.dataSet() != null) {
            split(message.contextId(), false, message.dataSet(), maxFragment, sink);
        }
    }

    private static void split(int contextId, boolean command, byte[] data, int maxFragment, Consumer<PDataTf> sink) {
        if (data.length <= maxFragment) {
            sink.accept(new PDataTf(List.of(new PresentationDataValue(contextId, command, true, data))));
            return;
        }
        for (int off = 0; off < data.length; off += maxFragment) {
            int end = Math.min(data.length, off + maxFragment);
            sink.accept(new PDataTf(List.of(new PresentationDataValue(contextId, command, end == data.length,
                    Arrays.copyOfRange(data, off, end)))));
        }
    }
}
