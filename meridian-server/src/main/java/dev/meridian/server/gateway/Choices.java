package dev.meridian.server.gateway;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Several answers to one request at one destination (OpenAI's {@code n}), made in parallel as one attempt: the
 * first failure fails the attempt and gives the others up (the router then tries the next destination for all of
 * them), and an attempt the router gives up (its timeout, a caller that left) gives each up.
 */
final class Choices {
    private Choices() {}

    /** {@code n} answers to {@code call}, in choice order. */
    static CompletableFuture<List<ChatResponse>> of(Provider provider, ProviderCall call, int n) {
        List<CompletableFuture<ChatResponse>> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(provider.converse(new ProviderCall(
                    call.sourceRegion(),
                    call.region(),
                    call.modelId(),
                    sample(call.request(), i),
                    call.traceHeaders())));
        }
        CompletableFuture<List<ChatResponse>> all = new CompletableFuture<>();
        for (CompletableFuture<ChatResponse> answer : answers) {
            answer.whenComplete((r, failure) -> {
                if (failure != null) {
                    all.completeExceptionally(failure);
                }
            });
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenRun(() -> all.complete(
                        answers.stream().map(CompletableFuture::join).toList()));
        all.whenComplete((done, failure) -> {
            if (failure != null) {
                answers.forEach(a -> a.completeExceptionally(failure)); // each provider gives its exchange up
            }
        });
        return all;
    }

    /**
     * The request for choice {@code i}: as sent, except that with a seed each choice samples with its own (seed + i),
     * so the choices differ and the same seed repeats them, as one call asking a model server for several would.
     */
    static ChatRequest sample(ChatRequest request, int i) {
        Long seed = request.params().seed();
        return i == 0 || seed == null
                ? request
                : request.withParams(request.params().withSeed(seed + i));
    }
}
