package dev.meridian.provider;

import dev.meridian.core.chat.ChatRequest;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt at one destination.
 *
 * @param sourceRegion the caller's source region (the gateway's region)
 * @param region the destination region, already checked against the allowed set
 * @param modelId the foundation model id
 * @param request the canonical request
 * @param traceHeaders headers that carry the attempt's trace context (W3C {@code traceparent}, {@code tracestate})
 *     to the upstream, so a model server or peer gateway that traces joins the caller's trace; empty when
 *     tracing is off. Providers that speak HTTP send them as they are; they hold no secrets.
 * @param choice which of several answers to one request this attempt makes (OpenAI's {@code n}), from 0; a model
 *     server samples each answer on its own, so providers that call one ignore it, while the simulator, which draws
 *     the same answer for the same prompt, draws another for each choice
 */
public record ProviderCall(
        String sourceRegion,
        String region,
        String modelId,
        ChatRequest request,
        Map<String, String> traceHeaders,
        int choice) {

    public ProviderCall {
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(request, "request");
        traceHeaders = Map.copyOf(traceHeaders);
        if (choice < 0) {
            throw new IllegalArgumentException("choice: " + choice + " (expected: 0 or more)");
        }
    }

    /** The only answer to a request, carrying trace context. */
    public ProviderCall(
            String sourceRegion, String region, String modelId, ChatRequest request, Map<String, String> traceHeaders) {
        this(sourceRegion, region, modelId, request, traceHeaders, 0);
    }

    /** The only answer to a request, carrying no trace context. */
    public ProviderCall(String sourceRegion, String region, String modelId, ChatRequest request) {
        this(sourceRegion, region, modelId, request, Map.of(), 0);
    }
}
