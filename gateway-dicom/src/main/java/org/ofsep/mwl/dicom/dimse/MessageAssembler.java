package org.ofsep.mwl.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.PresentationDataValue;

/**
 * Reassembles DIMSE messages from P-DATA-TF fragments (PS3.8 Annex E, PS3.7 6.3.1): command fragments until the
 * last one, then data set fragments when the command announces a data set. All fragments of one message use one
 * presentation context. Sizes are bounded, so a peer cannot make us buffer without end.
 */
public final class MessageAssembler {

    private final int maxCommandLength;
    private final long maxDataSetLength;
    private final java.util.function.IntPredicate contextAccepted;
    private ByteArrayOutputStream command = new ByteArrayOutputStream();
    private ByteArrayOutputStream dataSet;
    private Command decodedCommand;
    private int contextId = -1;

    /**
     * @param maxCommandLength largest command set accepted
     * @param maxDataSetLength largest data set accepted
     * @param contextAccepted  tells whether a presentation context id was accepted on this association
     */
    public MessageAssembler(int maxCommandLength, long maxDataSetLength, java.util.function.IntPredicate contextAccepted) {
        this.maxCommandLength = maxCommandLength;
        this.maxDataSetLength = maxDataSetLength;
        this.contextAccepted = contextAccepted;
    }

    /** Adds the fragments of one PDU; returns the messages completed by them (usually zero or one). */
    public List<DimseMessage> add(PDataTf pdu) throws DimseFormatException {
        List<DimseMessage> done = new ArrayList<>(1);
        for (PresentationDataValue pdv : pdu.values()) {
            if (!contextAccepted.test(pdv.contextId())) {
                throw new DimseFormatException("fragment on presentation context " + pdv.contextId() + " which is not accepted");
            }
            if (contextId < 0) {
                contextId = pdv.contextId();
            } else if (contextId != pdv.contextId()) {
                throw new DimseFormatException("fragment on context " + pdv.contextId() + " inside a message on context " + contextId);
            }
            if (pdv.command()) {
                if (decodedCommand != null) {
                    throw new DimseFormatException("command fragment where a data set fragment was expected");
                }
                if ((long) command.size() + pdv.data().length > maxCommandLength) {
                    throw new DimseFormatException("command set longer than " + maxCommandLength + " bytes");
                }
                if (pdv.last()) {
                    // a command in one fragment (the usual case) is decoded from it without a copy
                    byte[] whole = command.size() == 0 ? pdv.data() : append(command, pdv.data()).toByteArray();
                    decodedCommand = Command.decode(whole);
                    command = new ByteArrayOutputStream();
                    if (!decodedCommand.hasDataSet()) {
                        done.add(new DimseMessage(contextId, decodedCommand, null));
                        reset();
                    } else {
                        dataSet = new ByteArrayOutputStream();
                    }
                } else {
                    command.writeBytes(pdv.data());
                }
            } else {
                if (decodedCommand == null) {
                    throw new DimseFormatException("data set fragment before the command set is complete");
                }
                if ((long) dataSet.size() + pdv.data().length > maxDataSetLength) {
                    throw new DimseFormatException("data set longer than " + maxDataSetLength + " bytes");
                }
                if (pdv.last()) {
                    // the decoder gave each fragment its own array: one that is the whole data set is kept as is
                    byte[] whole = dataSet.size() == 0 ? pdv.data() : append(dataSet, pdv.data()).toByteArray();
                    done.add(new DimseMessage(contextId, decodedCommand, whole));
                    reset();
                } else {
                    dataSet.writeBytes(pdv.data());
                }
            }
        }
        return done;
    }

    private static ByteArrayOutputStream append(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        return out;
    }

    private void reset() {
        decodedCommand = null;
        dataSet = null;
        contextId = -1;
    }
}
