package io.jk8s.store;

/** Infrastructure failure of the store (I/O, lost connection, corrupt file): not an expected outcome. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
