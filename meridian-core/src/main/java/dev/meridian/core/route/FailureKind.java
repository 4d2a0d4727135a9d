package dev.meridian.core.route;

/** How an attempt at one destination failed; decides whether the router fails over and what signal it records. */
public enum FailureKind {
    /** The destination is saturated (429 / throttling): try another, and send less here for a while. */
    THROTTLED(true),
    /** The destination could not be reached (connection refused or reset, region down). */
    UNAVAILABLE(true),
    /** The destination did not answer within the attempt timeout. */
    TIMEOUT(true),
    /** The destination answered with a server error (5xx) or garbage. */
    SERVER_ERROR(true),
    /** The destination refused the request itself (e.g. a prompt too long for the model): retrying won't help. */
    REJECTED(false),
    /**
     * The destination cannot do what was asked of it at all (a model server without a tokenizer endpoint, asked to
     * count tokens): try another, with no penalty, since it serves everything else as well as before.
     */
    UNSUPPORTED(true);

    private final boolean retryable;

    FailureKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether another destination may succeed where this one failed. */
    public boolean retryable() {
        return retryable;
    }
}
