package dev.meridian.core.route;

/**
 * What the router knows about one destination at one instant.
 *
 * @param inFlight requests this gateway has outstanding there
 * @param capacity concurrent sequences it can run, or 0 when unknown
 * @param ewmaLatencyMs smoothed service latency per unit of work (ms per output token) of recent successes, or
 *     NaN before the first success
 * @param penalty decaying score of recent throttles and failures (0 = none; each event adds 1, halving every
 *     {@link LiveSignals#PENALTY_HALF_LIFE_NANOS})
 * @param circuitOpen whether consecutive connection failures have marked it unreachable for now
 * @param reportedUtilization the destination's own report of its load (e.g. vLLM's KV-cache usage, 1 when it
 *     queues requests), 0..1, or NaN when it reports none (or the report is stale)
 * @param tokensPerMinute its tokens-per-minute quota, or 0 for none
 * @param tokensLastMinute tokens counted against that quota in the last minute (reservations of requests still
 *     running, actual usage of finished ones)
 * @param flapScore decaying count of recent circuit openings ({@link LiveSignals#FLAP_HALF_LIFE_NANOS}): how often
 *     the destination came back and failed again
 */
public record SignalSnapshot(
        int inFlight,
        int capacity,
        double ewmaLatencyMs,
        double penalty,
        boolean circuitOpen,
        double reportedUtilization,
        long tokensPerMinute,
        long tokensLastMinute,
        double flapScore) {

    /** A destination nothing is known about. */
    public static final SignalSnapshot UNKNOWN = new SignalSnapshot(0, 0, Double.NaN, 0.0, false);

    public SignalSnapshot(int inFlight, int capacity, double ewmaLatencyMs, double penalty, boolean circuitOpen) {
        this(inFlight, capacity, ewmaLatencyMs, penalty, circuitOpen, Double.NaN);
    }

    public SignalSnapshot(
            int inFlight,
            int capacity,
            double ewmaLatencyMs,
            double penalty,
            boolean circuitOpen,
            double reportedUtilization) {
        this(inFlight, capacity, ewmaLatencyMs, penalty, circuitOpen, reportedUtilization, 0, 0, 0);
    }

    /** The same snapshot with {@code extra} more requests in flight (what {@link Router#spread} assumes). */
    public SignalSnapshot plusInFlight(int extra) {
        return new SignalSnapshot(
                inFlight + extra,
                capacity,
                ewmaLatencyMs,
                penalty,
                circuitOpen,
                reportedUtilization,
                tokensPerMinute,
                tokensLastMinute,
                flapScore);
    }

    /** Whether admitting {@code reservedTokens} more would exceed the tokens-per-minute quota. */
    public boolean quotaExceededBy(int reservedTokens) {
        return quotaExceeded(tokensPerMinute, tokensLastMinute, reservedTokens);
    }

    /**
     * The largest of in-flight over capacity (0 when capacity is unknown), the share of the token quota used in
     * the last minute, and the destination's own report: other gateways' traffic shows only in the latter.
     */
    public double utilization() {
        return utilization(inFlight, capacity, tokensPerMinute, tokensLastMinute, reportedUtilization);
    }

    public boolean saturated() {
        return saturated(inFlight, capacity, reportedUtilization);
    }

    static double utilization(
            int inFlight, int capacity, long tokensPerMinute, long tokensLastMinute, double reported) {
        double own = capacity <= 0 ? 0.0 : (double) inFlight / capacity;
        if (tokensPerMinute > 0) {
            own = Math.max(own, (double) tokensLastMinute / tokensPerMinute);
        }
        return Double.isNaN(reported) ? own : Math.max(own, reported);
    }

    static boolean saturated(int inFlight, int capacity, double reported) {
        return (capacity > 0 && inFlight >= capacity) || reported >= 1.0;
    }

    static boolean quotaExceeded(long tokensPerMinute, long tokensLastMinute, int reservedTokens) {
        return tokensPerMinute > 0 && tokensLastMinute + reservedTokens > tokensPerMinute;
    }
}
