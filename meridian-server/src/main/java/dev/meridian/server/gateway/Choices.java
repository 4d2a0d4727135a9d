package dev.meridian.server.gateway;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.provider.ChatStream;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Several answers to one request at one destination (OpenAI's {@code n}), made in parallel as one attempt: the
 * first failure fails the attempt and gives the others up (the router then tries the next destination for all of
 * them), and an attempt the router gives up (its timeout, a caller that left) gives each up.
 */
final class Choices {
    private Choices() {}

    /** {@code n} whole answers to {@code call}, in choice order. */
    static CompletableFuture<List<ChatResponse>> of(Provider provider, ProviderCall call, int n) {
        return all(call, n, provider::converse, answer -> {});
    }

    /** {@code n} streamed answers to {@code call}, in choice order, once every one has started. */
    static CompletableFuture<List<ChatStream>> streams(Provider provider, ProviderCall call, int n) {
        return all(call, n, provider::converseStream, stream -> stream.events().abort());
    }

    /** Output tokens of all the streams plus one, when every one has ended. */
    static CompletableFuture<Integer> completion(List<ChatStream> streams) {
        List<CompletableFuture<Integer>> each =
                streams.stream().map(ChatStream::completion).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().mapToInt(c -> c.join() - 1).sum() + 1);
    }

    /**
     * {@code n} answers made by {@code make}, completing when all have; the first failure fails the whole and
     * {@code giveUp} ends each answer already made, and a whole failed from outside fails each answer still coming
     * (its provider then gives its exchange up).
     */
    private static <T> CompletableFuture<List<T>> all(
            ProviderCall call, int n, Function<ProviderCall, CompletableFuture<T>> make, Consumer<T> giveUp) {
        List<CompletableFuture<T>> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(make.apply(new ProviderCall(
                    call.sourceRegion(),
                    call.region(),
                    call.modelId(),
                    sample(call.request(), i),
                    call.traceHeaders(),
                    i)));
        }
        CompletableFuture<List<T>> all = new CompletableFuture<>();
        for (CompletableFuture<T> answer : answers) {
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
                for (CompletableFuture<T> answer : answers) {
                    if (!answer.completeExceptionally(failure) && !answer.isCompletedExceptionally()) {
                        giveUp.accept(answer.join()); // made before another failed: ended too
                    }
                }
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
