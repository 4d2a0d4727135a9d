package dev.meridian.sim;

/**
 * How one simulated model server behaves.
 *
 * @param capacity concurrent sequences it runs; one more is throttled
 * @param ttftMs fixed time to first token (scheduling, first decode step), milliseconds
 * @param prefillTokensPerSecond prompt processing speed
 * @param decodeTokensPerSecond generation speed of one sequence on an idle server; a full batch decodes
 *     {@link #FULL_BATCH_SLOWDOWN} times slower
 * @param tokensPerMinute a Bedrock-style quota: input plus output-limit tokens admitted per minute, reconciled
 *     with the real usage afterwards; a request that does not fit is throttled (0 = no quota)
 */
public record ServingProfile(
        int capacity,
        double ttftMs,
        double prefillTokensPerSecond,
        double decodeTokensPerSecond,
        long tokensPerMinute) {

    /** A mid-size model on one accelerator node: 64 sequences, 200 ms TTFT, 5k tok/s prefill, 80 tok/s decode. */
    public static final ServingProfile DEFAULT = new ServingProfile(64, 200, 5000, 80);

    /** A full batch decodes each sequence this much slower than an idle server (continuous batching). */
    public static final double FULL_BATCH_SLOWDOWN = 0.5;

    /** Prefill of a prompt prefix found in the server's cache is this many times faster than computing it. */
    public static final double CACHED_PREFILL_SPEEDUP = 10.0;

    /** A profile without a token quota. */
    public ServingProfile(int capacity, double ttftMs, double prefillTokensPerSecond, double decodeTokensPerSecond) {
        this(capacity, ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, 0);
    }

    public ServingProfile {
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute: " + tokensPerMinute + " (expected: >= 0)");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        }
        if (!(ttftMs >= 0)) {
            throw new IllegalArgumentException("ttftMs: " + ttftMs + " (expected: >= 0)");
        }
        if (!(prefillTokensPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "prefillTokensPerSecond: " + prefillTokensPerSecond + " (expected: > 0)");
        }
        if (!(decodeTokensPerSecond > 0)) {
            throw new IllegalArgumentException("decodeTokensPerSecond: " + decodeTokensPerSecond + " (expected: > 0)");
        }
    }

    public ServingProfile withCapacity(int newCapacity) {
        return new ServingProfile(newCapacity, ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, tokensPerMinute);
    }

    /** Milliseconds from the request reaching the server to its first token: fixed TTFT plus prefill. */
    public double firstTokenMillis(int inputTokens, int cachedTokens) {
        int cached = Math.min(Math.max(0, cachedTokens), inputTokens);
        return ttftMs
                + 1000.0 * (inputTokens - cached) / prefillTokensPerSecond
                + 1000.0 * cached / (prefillTokensPerSecond * CACHED_PREFILL_SPEEDUP);
    }

    /** Milliseconds per generated token for one sequence when the batch is {@code utilization} full (0..1). */
    public double decodeMillisPerToken(double utilization) {
        return 1000.0 * (1 + FULL_BATCH_SLOWDOWN * Math.min(1.0, utilization)) / decodeTokensPerSecond;
    }
}
