package dev.meridian.core.error;

/**
 * Surface-independent classes of failure. Each HTTP surface maps a kind to its own error format (Bedrock's
 * {@code x-amzn-ErrorType}, OpenAI's error object), so the core never speaks a wire format.
 */
public enum ErrorKind {
    /** The request is malformed or names something that cannot be invoked the way it was asked. */
    VALIDATION,
    /**
     * The request does not fit in the model's context window (its prompt, or the prompt with the output asked for):
     * a validation error that OpenAI's surface names with its own code ({@code context_length_exceeded}), which
     * clients read to shorten a conversation.
     */
    CONTEXT_WINDOW_EXCEEDED,
    /** The request carries no credentials at all. */
    MISSING_AUTHENTICATION,
    /** The access key or API key is not known. */
    UNRECOGNIZED_CLIENT,
    /** The signature does not match, or the signed time is outside the allowed clock skew. */
    INVALID_SIGNATURE,
    /** The caller is not allowed to do this. */
    ACCESS_DENIED,
    /** The named model or profile does not exist (for this caller). */
    NOT_FOUND,
    /** The request conflicts with the current state (a name or idempotency token already used differently). */
    CONFLICT,
    /** The caller did not send the whole request in time (its body stalled). */
    REQUEST_TIMEOUT,
    /** The caller exceeded a rate or token quota. */
    THROTTLED,
    /** A request-size or resource quota is exceeded. */
    QUOTA_EXCEEDED,
    /** No allowed destination could process the request now. */
    SERVICE_UNAVAILABLE,
    /** The model took too long. */
    MODEL_TIMEOUT,
    /** The model is not ready to serve yet. */
    MODEL_NOT_READY,
    /** The model failed while processing the request. */
    MODEL_ERROR,
    /**
     * The caller closed the request before it was answered, and the gateway gave it up. Nobody reads this answer; it
     * is what the audit trail and the metrics record.
     */
    CALLER_GONE,
    /** A bug or an unexpected condition inside the gateway. */
    INTERNAL
}
