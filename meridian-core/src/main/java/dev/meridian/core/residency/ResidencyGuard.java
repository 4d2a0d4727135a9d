package dev.meridian.core.residency;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The last line of defence: checked immediately before a request is handed to a provider. A failed check is a
 * bug (the router only orders allowed regions), so it refuses the call and counts the violation for alerting.
 */
public final class ResidencyGuard {
    private static final AtomicLong VIOLATIONS_REFUSED = new AtomicLong();

    private ResidencyGuard() {}

    /**
     * Refuses to proceed unless {@code region} is allowed.
     *
     * @throws IllegalStateException when {@code region} is outside {@code allowed}
     */
    public static void check(AllowedDestinations allowed, String region) {
        if (!allowed.contains(region)) {
            VIOLATIONS_REFUSED.incrementAndGet();
            throw new IllegalStateException("residency violation refused: " + region + " is not in " + allowed.regions()
                    + " for source " + allowed.sourceRegion());
        }
    }

    /** How many out-of-set dispatches were refused since start (must stay 0). */
    public static long violationsRefused() {
        return VIOLATIONS_REFUSED.get();
    }
}
