package dev.meridian.core.route;

import java.time.Duration;

/**
 * Bounds on failover for one request.
 *
 * @param maxAttempts destinations tried at most (the first attempt included)
 * @param attemptTimeout how long one destination may take before it counts as timed out
 * @param totalTimeout how long all attempts together may take
 */
public record RetryBudget(int maxAttempts, Duration attemptTimeout, Duration totalTimeout) {

    /** Four destinations, two minutes each, five minutes in all: long enough for long generations. */
    public static final RetryBudget DEFAULT = new RetryBudget(4, Duration.ofMinutes(2), Duration.ofMinutes(5));

    public RetryBudget {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        if (attemptTimeout == null || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout: " + attemptTimeout + " (expected: > 0)");
        }
        if (totalTimeout == null || totalTimeout.compareTo(attemptTimeout) < 0) {
            throw new IllegalArgumentException(
                    "totalTimeout: " + totalTimeout + " (expected: >= attemptTimeout " + attemptTimeout + ")");
        }
    }
}
