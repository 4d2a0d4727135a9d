package dev.meridian.provider;

import dev.meridian.core.chat.ChatRequest;
import java.util.Objects;

/**
 * One attempt at one destination.
 *
 * @param sourceRegion the caller's source region (the gateway's region)
 * @param region the destination region, already checked against the allowed set
 * @param modelId the foundation model id
 * @param request the canonical request
 */
public record ProviderCall(String sourceRegion, String region, String modelId, ChatRequest request) {

    public ProviderCall {
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(request, "request");
    }
}
