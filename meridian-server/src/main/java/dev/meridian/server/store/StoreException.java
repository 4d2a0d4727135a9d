package dev.meridian.server.store;

/** A store operation failed; the message is for operators (logs), not for callers. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure without an underlying exception (the store is behind, full, or out of order). */
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
