package dev.meridian.core.route;

import java.util.Objects;

/**
 * A provider's report that one attempt at one destination failed. The message is for operators and for the
 * caller's failover trail, so providers must not put credentials or upstream hosts in it. Whether the request may
 * have reached the destination is part of the report: the audit lists the regions a request was sent to, and one
 * passed by, or whose connection was refused, was sent nowhere.
 */
public final class UpstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final boolean reachedTheDestination;

    /** A failure after the request was sent, or may have been: the destination may have received its prompt. */
    public UpstreamException(FailureKind kind, String message) {
        this(kind, message, true);
    }

    private UpstreamException(FailureKind kind, String message, boolean reachedTheDestination) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reachedTheDestination = reachedTheDestination;
    }

    /**
     * A failure before anything was sent: the provider passed the request by (the destination cannot serve it as
     * asked), or the destination refused the connection.
     */
    public static UpstreamException beforeSending(FailureKind kind, String message) {
        return new UpstreamException(kind, message, false);
    }

    /** Whether the destination may have received the request (false only when nothing was sent). */
    public boolean reachedTheDestination() {
        return reachedTheDestination;
    }

    public FailureKind kind() {
        return kind;
    }
}
