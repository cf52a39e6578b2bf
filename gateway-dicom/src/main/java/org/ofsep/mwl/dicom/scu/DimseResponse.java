package org.ofsep.mwl.dicom.scu;

import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.dimse.Command;

/** One DIMSE response received by the SCU: the command (status, error comment) and its decoded data set. */
public record DimseResponse(Command command, Attributes dataSet) {
    public int status() {
        return command.status();
    }
}
