package dev.meridian.sim;

/**
 * How one simulated model server behaves.
 *
 * @param capacity concurrent sequences it runs; one more is throttled
 * @param ttftMs fixed time to first token (scheduling, first decode step), milliseconds
 * @param prefillTokensPerSecond prompt processing speed
 * @param decodeTokensPerSecond generation speed of one sequence on an idle server; a full batch decodes
 *     {@link RegionSimulator#FULL_BATCH_SLOWDOWN} times slower
 */
public record ServingProfile(int capacity, double ttftMs, double prefillTokensPerSecond, double decodeTokensPerSecond) {

    /** A mid-size model on one accelerator node: 64 sequences, 200 ms TTFT, 5k tok/s prefill, 80 tok/s decode. */
    public static final ServingProfile DEFAULT = new ServingProfile(64, 200, 5000, 80);

    public ServingProfile {
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
        return new ServingProfile(newCapacity, ttftMs, prefillTokensPerSecond, decodeTokensPerSecond);
    }
}
