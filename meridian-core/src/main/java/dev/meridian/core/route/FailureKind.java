package dev.meridian.core.route;

/** How an attempt at one destination failed; decides whether the router fails over and what signal it records. */
public enum FailureKind {
    /** The destination is saturated (429 / throttling): try another, and send less here for a while. */
    THROTTLED(true, true),
    /** The destination could not be reached (connection refused or reset, region down). */
    UNAVAILABLE(true, true),
    /** The destination did not answer within the attempt timeout. */
    TIMEOUT(true, true),
    /** The destination answered with a server error (5xx) or garbage. */
    SERVER_ERROR(true, true),
    /**
     * The destination found the request invalid (an upstream's 400, 413 or 422, Bedrock's {@code
     * ValidationException}: a prompt too long for the model, a parameter out of its range): the caller's error,
     * answered as such (a 400 on every surface); retrying elsewhere won't help.
     */
    INVALID(false, false),
    /**
     * The destination found the request too long for the model's context window (the prompt, or the prompt with the
     * output asked for): the caller's error, as {@link #INVALID}, under its own name, since clients act on it.
     */
    CONTEXT_EXCEEDED(false, false),
    /**
     * The model failed on this request (Bedrock's {@code ModelErrorException}, an upstream's 4xx that is neither
     * throttling nor invalid input): retrying won't help.
     */
    REJECTED(false, false),
    /**
     * The caller went away while the destination worked on its request: the attempt was given up (and no other
     * started), which says nothing of the destination.
     */
    ABANDONED(false, false),
    /**
     * The destination cannot do what was asked of it at all (a model server without a tokenizer endpoint, asked to
     * count tokens): try another, with no penalty, since it serves everything else as well as before.
     */
    UNSUPPORTED(true, false);

    private final boolean retryable;
    private final boolean countsAgainstTheDestination;

    FailureKind(boolean retryable, boolean countsAgainstTheDestination) {
        this.retryable = retryable;
        this.countsAgainstTheDestination = countsAgainstTheDestination;
    }

    /**
     * Whether the failure says something about the destination's health (a penalty, and toward opening its
     * circuit), rather than about the request: not for a request it found invalid, failed on or cannot serve, nor
     * for one whose caller went away.
     */
    public boolean countsAgainstTheDestination() {
        return countsAgainstTheDestination;
    }

    /** Whether another destination may succeed where this one failed. */
    public boolean retryable() {
        return retryable;
    }
}
