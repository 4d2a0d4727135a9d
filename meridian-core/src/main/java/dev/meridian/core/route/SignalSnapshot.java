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
 */
public record SignalSnapshot(int inFlight, int capacity, double ewmaLatencyMs, double penalty, boolean circuitOpen) {

    /** In-flight over capacity; 0 when capacity is unknown. */
    public double utilization() {
        return capacity <= 0 ? 0.0 : (double) inFlight / capacity;
    }

    public boolean saturated() {
        return capacity > 0 && inFlight >= capacity;
    }
}
