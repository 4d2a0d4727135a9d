package dev.meridian.core.route;

import java.util.Objects;

/**
 * A provider's report that one attempt at one destination failed. The message is for operators and for the
 * caller's failover trail, so providers must not put credentials or upstream hosts in it.
 */
public final class UpstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;

    public UpstreamException(FailureKind kind, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public FailureKind kind() {
        return kind;
    }
}
