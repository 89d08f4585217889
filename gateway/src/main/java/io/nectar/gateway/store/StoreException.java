package io.nectar.gateway.store;

/** A store directory that cannot be read; the message names the file and the entry at fault. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
