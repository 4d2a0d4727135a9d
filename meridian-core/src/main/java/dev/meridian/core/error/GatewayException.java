package dev.meridian.core.error;

import java.util.Objects;

/**
 * A failure that is meant to reach the caller: it carries the {@link ErrorKind} that decides the status code and
 * a message written for the caller (never a stack trace, never a secret).
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public GatewayException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public static GatewayException validation(String message) {
        return new GatewayException(ErrorKind.VALIDATION, message);
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(ErrorKind.NOT_FOUND, message);
    }

    public ErrorKind kind() {
        return kind;
    }
}
