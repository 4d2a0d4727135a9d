package dev.meridian.lab;

import java.util.List;
import java.util.Map;

/**
 * What one policy did with a scenario's workload.
 *
 * @param policy the policy's name
 * @param requests requests offered
 * @param succeeded requests answered completely
 * @param refused requests that got no first token (every attempt failed, or nothing was allowed)
 * @param lostMidStream requests whose stream broke after the first token (their region went down)
 * @param ttftMs time to first token at the caller, over all requests (failed = infinite)
 * @param totalMs time to the last token, over answered requests
 * @param attempts attempts made in all
 * @param throttleRate throttled attempts over attempts
 * @param failoverRate share of requests that needed more than one attempt
 * @param inSourceShare share of answered requests processed in their source region
 * @param violations requests processed outside the allowed set of their profile and source (must be 0)
 * @param prefixHitRate share of requests with a prompt prefix whose server had it cached
 * @param regionShare share of answered requests per processing region
 * @param series per-bin time series for the plots
 */
public record RunResult(
        String policy,
        int requests,
        int succeeded,
        int refused,
        int lostMidStream,
        Percentiles ttftMs,
        Percentiles totalMs,
        long attempts,
        double throttleRate,
        double failoverRate,
        double inSourceShare,
        long violations,
        double prefixHitRate,
        Map<String, Double> regionShare,
        Series series) {

    public double successRate() {
        return requests == 0 ? 1.0 : (double) succeeded / requests;
    }

    /**
     * Per-bin series; region arrays are indexed like {@code regions}.
     *
     * @param running mean sequences running per region and bin
     * @param queued mean requests waiting per region and bin
     * @param ttftP99 p99 time to first token of the requests arriving in each bin (failed = infinite)
     * @param throttled throttled attempts per second in each bin
     * @param failedShare share of each bin's arrivals that were not answered
     * @param failoverShare share of each bin's arrivals that needed more than one attempt
     * @param inSourceShare share of each bin's answered arrivals processed in their source region
     */
    public record Series(
            double binSeconds,
            List<String> regions,
            double[][] running,
            double[][] queued,
            double[] ttftP99,
            double[] throttled,
            double[] failedShare,
            double[] failoverShare,
            double[] inSourceShare) {}
}
