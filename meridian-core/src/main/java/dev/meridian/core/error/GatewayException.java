package dev.meridian.core.error;

import java.util.Objects;

/**
 * A failure that is meant to reach the caller: it carries the {@link ErrorKind} that decides the status code and
 * a message written for the caller (never a stack trace, never a secret).
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String parameter;

    public GatewayException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    private GatewayException(ErrorKind kind, String message, String parameter) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parameter = parameter;
    }

    public static GatewayException validation(String message) {
        return new GatewayException(ErrorKind.VALIDATION, message);
    }

    /**
     * A validation failure of one request parameter, named as the caller wrote it (e.g. {@code temperature},
     * {@code messages[1].tool_call_id}); surfaces that report it separately (OpenAI's {@code param}) do.
     */
    public static GatewayException invalidParameter(String parameter, String message) {
        return new GatewayException(ErrorKind.VALIDATION, message, Objects.requireNonNull(parameter, "parameter"));
    }

    /** The conversation ({@code messages}) does not fit in the model's context window. */
    public static GatewayException contextWindowExceeded(String message) {
        return new GatewayException(ErrorKind.CONTEXT_WINDOW_EXCEEDED, message, "messages");
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(ErrorKind.NOT_FOUND, message);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request parameter at fault, or {@code null} when the failure is not about one parameter. */
    public String parameter() {
        return parameter;
    }
}
