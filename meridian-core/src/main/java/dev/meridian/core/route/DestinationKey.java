package dev.meridian.core.route;

/** One model in one region: the unit that has capacity, latency and health. */
public record DestinationKey(String region, String modelId) {}
