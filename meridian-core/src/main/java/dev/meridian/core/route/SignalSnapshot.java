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
 */
public record SignalSnapshot(
        int inFlight,
        int capacity,
        double ewmaLatencyMs,
        double penalty,
        boolean circuitOpen,
        double reportedUtilization) {

    public SignalSnapshot(int inFlight, int capacity, double ewmaLatencyMs, double penalty, boolean circuitOpen) {
        this(inFlight, capacity, ewmaLatencyMs, penalty, circuitOpen, Double.NaN);
    }

    /**
     * The larger of in-flight over capacity (0 when capacity is unknown) and the destination's own report: other
     * gateways' traffic shows only in the latter.
     */
    public double utilization() {
        double own = capacity <= 0 ? 0.0 : (double) inFlight / capacity;
        return Double.isNaN(reportedUtilization) ? own : Math.max(own, reportedUtilization);
    }

    public boolean saturated() {
        return (capacity > 0 && inFlight >= capacity) || reportedUtilization >= 1.0;
    }
}
