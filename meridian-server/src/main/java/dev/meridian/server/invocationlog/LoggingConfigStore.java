package dev.meridian.server.invocationlog;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Durable storage of each source region's invocation logging configuration (as Bedrock JSON). */
public interface LoggingConfigStore {

    /** Every stored configuration, by region. */
    CompletableFuture<Map<String, String>> loadLoggingConfigs();

    /** Stores (replaces) {@code region}'s configuration. */
    CompletableFuture<Void> putLoggingConfig(String region, String json);

    /** Removes {@code region}'s configuration. */
    CompletableFuture<Void> deleteLoggingConfig(String region);
}
