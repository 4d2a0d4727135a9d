package dev.meridian.lab;

import java.util.Arrays;

/**
 * Latency percentiles in milliseconds. A request that never got an answer counts as infinitely slow, so a policy
 * cannot look fast by failing its slow requests; {@code Double.POSITIVE_INFINITY} then shows as "failed".
 */
public record Percentiles(double p50, double p90, double p99, double p999, double max) {

    public static final Percentiles NONE = new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Percentiles of(double[] values, int count) {
        if (count == 0) {
            return NONE;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Percentiles(
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999), sorted[count - 1]);
    }

    private static double at(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
