package org.ofsep.mwl.core.priors;

/** The PACS could not be asked or its answer could not be read; the message says why, without patient data. */
public class PriorSourceException extends Exception {
    public PriorSourceException(String message) {
        super(message);
    }

    public PriorSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
