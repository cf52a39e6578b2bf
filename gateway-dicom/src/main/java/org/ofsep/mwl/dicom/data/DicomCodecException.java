package org.ofsep.mwl.dicom.data;

import java.io.IOException;

/**
 * Malformed or unsupported DICOM encoding (a bad length, an unknown VR, too deep nesting, an unsupported transfer
 * syntax). The only exception the decoder lets escape for bad input; the association that sent it is what fails,
 * never the gateway. An {@link IOException} so that network code handles it with the other I/O failures.
 */
public class DicomCodecException extends IOException {

    private static final long serialVersionUID = 1L;

    public DicomCodecException(String message) {
        super(message);
    }

    public DicomCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
