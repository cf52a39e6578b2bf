package org.ofsep.mwl.store;

/** A database failure the caller cannot fix (connection lost, disk full...): the operation was not applied. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
