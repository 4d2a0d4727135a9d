package dev.meridian.core.route;

/**
 * Tokens used at one destination in the last minute, in one-second buckets: the counter behind a
 * tokens-per-minute quota.
 *
 * <p>Admission adds a request's reservation (input plus output limit) to the current second; when the answer is
 * done, {@link #adjust} moves the difference to the actual usage into the second the reservation was made in (if
 * that second is still inside the window). Not thread-safe: callers guard it ({@link LiveSignals} does).
 */
public final class TokenWindow {
    public static final int SECONDS = 60;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final long[] tokens = new long[SECONDS];
    private final long[] bucketSecond = new long[SECONDS];

    public void add(long nowNanos, long delta) {
        adjust(nowNanos, nowNanos, delta);
    }

    /** Adds {@code delta} to the bucket of {@code atNanos}, if it is still within the minute before {@code nowNanos}. */
    public void adjust(long atNanos, long nowNanos, long delta) {
        long second = Math.floorDiv(atNanos, SECOND_NANOS);
        long nowSecond = Math.floorDiv(nowNanos, SECOND_NANOS);
        if (nowSecond - second >= SECONDS) {
            return;
        }
        int i = Math.floorMod(second, SECONDS);
        if (bucketSecond[i] != second) {
            if (bucketSecond[i] > second) {
                return;
            }
            bucketSecond[i] = second;
            tokens[i] = 0;
        }
        tokens[i] = Math.max(0, tokens[i] + delta);
    }

    /** Tokens counted in the 60 seconds up to {@code nowNanos}. */
    public long sum(long nowNanos) {
        long nowSecond = Math.floorDiv(nowNanos, SECOND_NANOS);
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (nowSecond - bucketSecond[i] < SECONDS && bucketSecond[i] <= nowSecond) {
                total += tokens[i];
            }
        }
        return total;
    }
}
