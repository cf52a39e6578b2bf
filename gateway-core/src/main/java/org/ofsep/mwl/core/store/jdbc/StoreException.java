package org.ofsep.mwl.core.store.jdbc;

/** A database failure the caller cannot fix (connection lost, disk full...): the operation was not applied. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
