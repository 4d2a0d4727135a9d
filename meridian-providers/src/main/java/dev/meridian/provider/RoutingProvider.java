package dev.meridian.provider;

import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.route.DestinationKey;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends each call to the provider configured for its destination (region and model, or region and any model),
 * and everything else to a fallback (the embedded simulator by default).
 */
public final class RoutingProvider implements Provider {
    /** Model id standing for every model of a region in the destination map. */
    public static final String ANY_MODEL = "*";

    private final Map<DestinationKey, Provider> byDestination;
    private final Provider fallback;

    public RoutingProvider(Map<DestinationKey, Provider> byDestination, Provider fallback) {
        this.byDestination = Map.copyOf(byDestination);
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    private Provider of(String region, String modelId) {
        Provider p = byDestination.get(new DestinationKey(region, modelId));
        if (p == null) {
            p = byDestination.get(new DestinationKey(region, ANY_MODEL));
        }
        return p != null ? p : fallback;
    }

    @Override
    public CompletableFuture<ChatResponse> converse(ProviderCall call) {
        return of(call.region(), call.modelId()).converse(call);
    }

    @Override
    public CompletableFuture<ChatStream> converseStream(ProviderCall call) {
        return of(call.region(), call.modelId()).converseStream(call);
    }

    @Override
    public CompletableFuture<Integer> countTokens(ProviderCall call) {
        return of(call.region(), call.modelId()).countTokens(call);
    }

    @Override
    public int capacityHint(String region, String modelId) {
        return of(region, modelId).capacityHint(region, modelId);
    }

    @Override
    public long tokensPerMinuteHint(String region, String modelId) {
        return of(region, modelId).tokensPerMinuteHint(region, modelId);
    }
}
