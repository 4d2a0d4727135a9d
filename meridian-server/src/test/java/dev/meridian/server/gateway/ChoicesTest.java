package dev.meridian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChoicesTest {
    private final List<ProviderCall> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<ChatResponse>> answers = new CopyOnWriteArrayList<>();
    private final Provider provider = new Provider() {
        @Override
        public CompletableFuture<ChatResponse> converse(ProviderCall call) {
            sent.add(call);
            CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public CompletableFuture<dev.meridian.provider.ChatStream> converseStream(ProviderCall call) {
            throw new UnsupportedOperationException();
        }
    };

    private static ChatRequest ask(Long seed) {
        return new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "hello")),
                new InferenceParams(null, null, null, List.of(), null, null, null, seed, null, Map.of()),
                Map.of());
    }

    private static ProviderCall call(ChatRequest request) {
        return new ProviderCall("eu-west-1", "eu-west-3", "m", request);
    }

    private static ChatResponse answer(String text, int output) {
        return new ChatResponse(
                new Message(Role.ASSISTANT, List.of(new dev.meridian.core.chat.ContentBlock.Text(text))),
                StopReason.END_TURN,
                new Usage(7, output));
    }

    @Test
    void eachChoice_isAskedOfTheSameDestination_withItsOwnSeed_andAnsweredInOrder() {
        CompletableFuture<List<ChatResponse>> all = Choices.of(provider, call(ask(10L)), 3);
        assertThat(sent).extracting(ProviderCall::region).containsOnly("eu-west-3");
        assertThat(sent).extracting(c -> c.request().params().seed()).containsExactly(10L, 11L, 12L);
        answers.get(2).complete(answer("c", 3));
        answers.get(0).complete(answer("a", 1));
        assertThat(all).isNotDone();
        answers.get(1).complete(answer("b", 2));
        assertThat(all.join()).extracting(r -> r.message().text()).containsExactly("a", "b", "c");
    }

    @Test
    void withoutASeed_eachChoiceIsAskedAsSent() {
        ChatRequest request = ask(null);
        Choices.of(provider, call(request), 2);
        assertThat(sent).extracting(ProviderCall::request).containsExactly(request, request);
    }

    /** One failed answer fails them all, and the others are given up (their exchanges aborted by the provider). */
    @Test
    void oneFailure_failsTheAttempt_andGivesTheOthersUp() {
        CompletableFuture<List<ChatResponse>> all = Choices.of(provider, call(ask(null)), 3);
        answers.get(0).complete(answer("a", 1));
        answers.get(1).completeExceptionally(new UpstreamException(FailureKind.THROTTLED, "full"));
        assertThatThrownBy(all::join).hasCauseInstanceOf(UpstreamException.class);
        assertThat(answers.get(2)).isCompletedExceptionally();
    }

    /** Streamed, a choice that cannot start fails the attempt, and the streams already started are aborted. */
    @Test
    void streamed_oneFailureBeforeItStarts_abortsTheStartedStreams() {
        List<com.linecorp.armeria.common.stream.StreamWriter<dev.meridian.core.chat.ChatEvent>> started =
                new CopyOnWriteArrayList<>();
        Provider streaming = new Provider() {
            @Override
            public CompletableFuture<ChatResponse> converse(ProviderCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<dev.meridian.provider.ChatStream> converseStream(ProviderCall call) {
                if (started.size() == 1) {
                    started.add(null);
                    return CompletableFuture.failedFuture(new UpstreamException(FailureKind.THROTTLED, "full"));
                }
                com.linecorp.armeria.common.stream.StreamWriter<dev.meridian.core.chat.ChatEvent> events =
                        com.linecorp.armeria.common.stream.StreamMessage.streaming();
                started.add(events);
                return CompletableFuture.completedFuture(
                        new dev.meridian.provider.ChatStream(events, new CompletableFuture<>()));
            }
        };
        var all = Choices.streams(streaming, call(ask(null)), 3);
        assertThatThrownBy(all::join).hasCauseInstanceOf(UpstreamException.class);
        assertThat(started.get(0).whenComplete()).isCompletedExceptionally();
        assertThat(started.get(2).whenComplete()).isCompletedExceptionally();
    }

    /** The router giving the attempt up (its timeout, a caller that left) gives every answer up. */
    @Test
    void theAttemptGivenUp_givesEachAnswerUp() {
        CompletableFuture<List<ChatResponse>> all = Choices.of(provider, call(ask(null)), 2);
        all.completeExceptionally(new UpstreamException(FailureKind.TIMEOUT, "attempt timed out"));
        assertThat(answers).allMatch(CompletableFuture::isCompletedExceptionally);
    }
}
