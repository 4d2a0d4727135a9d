package dev.meridian.server.store;

/** A store operation failed; the message is for operators (logs), not for callers. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
