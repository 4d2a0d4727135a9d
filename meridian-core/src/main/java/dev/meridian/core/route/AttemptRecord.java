package dev.meridian.core.route;

/**
 * One try at one destination.
 *
 * @param region where it was sent
 * @param failure how it failed, or {@code null} when it succeeded
 * @param latencyMs how long it took
 * @param detail the failure message (provider-sanitised), or empty
 * @param reached whether the request may have reached the destination: false when nothing was sent (passed by, or
 *     the connection refused), so the audit does not name the region as one the prompt went to
 */
public record AttemptRecord(String region, FailureKind failure, double latencyMs, String detail, boolean reached) {

    public boolean succeeded() {
        return failure == null;
    }

    /** {@code "eu-west-3 (throttled: ...)"}, for error messages and logs. */
    public String describe() {
        if (failure == null) {
            return region + " (ok)";
        }
        String reason = switch (failure) {
            case THROTTLED -> "throttled";
            case UNAVAILABLE -> "down";
            case TIMEOUT -> "timed out";
            case SERVER_ERROR -> "server error";
            case INVALID -> "invalid";
            case CONTEXT_EXCEEDED -> "context window exceeded";
            case REJECTED -> "rejected";
            case ABANDONED -> "abandoned";
            case UNSUPPORTED -> "unsupported";
        };
        return region + " (" + reason + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
