package dev.meridian.provider;

import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a canonical request into a call to a model server in one region.
 *
 * <p>Implementations must not block the calling thread, must fail with
 * {@link dev.meridian.core.route.UpstreamException} classified by {@link dev.meridian.core.route.FailureKind}
 * (so the router can fail over), and must keep credentials and upstream hosts out of their messages. The router
 * gives an attempt up (its timeout) by failing the returned future itself: an implementation then gives its
 * exchange up too, so a destination that stalls holds no connection past the attempt.
 */
public interface Provider {

    /** Starts a non-streaming conversation call; the future completes with the whole answer. */
    CompletableFuture<ChatResponse> converse(ProviderCall call);

    /**
     * Starts a streaming conversation call. The future completes once the first event is ready (so the router can
     * still fail over before anything reached the caller) and fails with an {@code UpstreamException} otherwise.
     */
    CompletableFuture<ChatStream> converseStream(ProviderCall call);

    /**
     * Counts the input tokens {@code call}'s request would use at the destination, with the model's own tokenizer
     * (Bedrock's CountTokens): the prompt leaves the gateway, so it is routed like an invocation. Fails with an
     * {@code UNSUPPORTED} {@link UpstreamException} where the destination cannot count (the default), so the count
     * moves on to an allowed destination that can.
     */
    default CompletableFuture<Integer> countTokens(ProviderCall call) {
        return CompletableFuture.failedFuture(UpstreamException.beforeSending(
                FailureKind.UNSUPPORTED, "the model server in " + call.region() + " does not count tokens"));
    }

    /** Concurrent sequences the destination can run, if the provider knows it (0 = unknown). */
    default int capacityHint(String region, String modelId) {
        return 0;
    }

    /** The destination's tokens-per-minute quota, if the provider knows it (0 = none or unknown). */
    default long tokensPerMinuteHint(String region, String modelId) {
        return 0;
    }
}
