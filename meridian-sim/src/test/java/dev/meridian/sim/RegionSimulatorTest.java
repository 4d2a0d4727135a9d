package dev.meridian.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionSimulatorTest {
    static final String MODEL = "amazon.nova-2-lite-v1:0";
    static final RoundTripTimes RTT = RoundTripTimes.estimate(
            Catalog.of(
                    List.of(
                            new Region("eu-central-1", "F", "DE", true, Set.of(), 50, 8),
                            new Region("eu-west-1", "I", "IE", true, Set.of(), 53, -6)),
                    List.of(new Geography("x", "X", Set.of(), ExternalSources.NOT_OFFERED, false)),
                    List.of(),
                    List.of()),
            Map.of());

    final RegionSimulator sim = small();

    /** Two sequences a region, answering twenty times faster than simulated time. */
    static RegionSimulator small() {
        return RegionSimulator.builder(RTT)
                .defaults(new ServingProfile(2, 10, 5000, 1000))
                .timeScale(0.05)
                .build();
    }

    @AfterEach
    void close() {
        sim.close();
    }

    static ChatRequest ask(String text, Integer maxTokens, List<String> stops) {
        return new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, text)),
                new InferenceParams(maxTokens, null, null, stops),
                Map.of());
    }

    @Test
    void generate_isDeterministicAndCountsTokens() {
        ChatResponse a = sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hello there", null, List.of()))
                .join();
        ChatResponse b = sim.generate("eu-west-1", "eu-west-1", MODEL, ask("Hello there", null, List.of()))
                .join();
        assertThat(a.message().text()).isEqualTo(b.message().text()).isNotBlank();
        assertThat(a.usage().outputTokens())
                .isEqualTo(Tokenizer.count(a.message().text()));
        assertThat(a.usage().inputTokens()).isEqualTo(Tokenizer.count("Hello there\n"));
        assertThat(a.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    /**
     * Several answers to one request (OpenAI's {@code n}) differ without a seed, as a sampling model's would, and
     * each is repeatable; with a seed the choice number changes nothing (the caller gives each choice its own seed).
     */
    @Test
    void generate_laterChoices_drawTheirOwnAnswer_unlessSeeded() {
        ChatRequest request = ask("Hello there", null, List.of());
        String first = sim.generate("eu-central-1", "eu-central-1", MODEL, request, 0)
                .join()
                .message()
                .text();
        String second = sim.generate("eu-central-1", "eu-central-1", MODEL, request, 1)
                .join()
                .message()
                .text();
        String third = sim.generate("eu-central-1", "eu-central-1", MODEL, request, 2)
                .join()
                .message()
                .text();

        assertThat(first)
                .isEqualTo(sim.generate("eu-central-1", "eu-central-1", MODEL, request)
                        .join()
                        .message()
                        .text());
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        assertThat(sim.generate("eu-central-1", "eu-central-1", MODEL, request, 1)
                        .join()
                        .message()
                        .text())
                .isEqualTo(second);
        ChatRequest seeded = request.withParams(request.params().withSeed(7L));
        assertThat(sim.generate("eu-central-1", "eu-central-1", MODEL, seeded, 1)
                        .join()
                        .message()
                        .text())
                .isEqualTo(sim.generate("eu-central-1", "eu-central-1", MODEL, seeded, 0)
                        .join()
                        .message()
                        .text());
    }

    @Test
    void generate_maxTokens_stopsThere() {
        ChatResponse r = sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hello there", 3, List.of()))
                .join();
        assertThat(r.usage().outputTokens()).isEqualTo(3);
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    }

    /** The answer to "Hi" with no stop sequence, which the stop-sequence tests cut. */
    private String unconstrainedAnswer() {
        return sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hi", null, List.of()))
                .join()
                .message()
                .text();
    }

    @Test
    void generate_stopSequence_cutsBeforeIt() {
        String full = unconstrainedAnswer();
        String stop = full.substring(10, 14);
        ChatResponse r = sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hi", null, List.of(stop)))
                .join();
        assertThat(r.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(r.message().text()).doesNotContain(stop);
    }

    /** With several stop sequences, generation ends at the one produced first, whatever their order in the list. */
    @Test
    void generate_severalStopSequences_cutsAtTheEarliest() {
        String full = unconstrainedAnswer();
        String later = full.substring(20, 24);
        String earlier = full.substring(5, 9);
        assertThat(full.indexOf(earlier)).isLessThan(full.indexOf(later)); // the case the test is about
        ChatResponse r = sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hi", null, List.of(later, earlier)))
                .join();
        assertThat(r.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(r.message().text()).isEqualTo(full.substring(0, full.indexOf(earlier)));
    }

    /** An empty stop sequence is never produced: it cut every answer to nothing. */
    @Test
    void generate_emptyStopSequence_stopsNothing() {
        ChatResponse r = sim.generate("eu-central-1", "eu-central-1", MODEL, ask("Hi", null, List.of("")))
                .join();
        assertThat(r.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(r.message().text()).isEqualTo(unconstrainedAnswer());
    }

    @Test
    void generate_regionDown_failsAsUnavailable() {
        sim.setDown("eu-west-1", true);
        assertThatThrownBy(() -> sim.generate("eu-central-1", "eu-west-1", MODEL, ask("x", null, List.of()))
                        .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(UpstreamException.class)
                .satisfies(e ->
                        assertThat(((UpstreamException) e.getCause()).kind()).isEqualTo(FailureKind.UNAVAILABLE));
        sim.setDown("eu-west-1", false);
        assertThat(sim.generate("eu-central-1", "eu-west-1", MODEL, ask("x", null, List.of()))
                        .join())
                .isNotNull();
    }

    /**
     * A prompt leaving no room in the model's context window, or not leaving the output limit asked for, is refused as
     * too long, naming the numbers, before it takes a sequence (a full server refuses it the same); other models, and a
     * model without a stated window, are served.
     */
    @Test
    void aRequestThatDoesNotFitTheContextWindow_isRefused_wholeAndStreamed() {
        try (RegionSimulator small = RegionSimulator.builder(RTT)
                .defaults(new ServingProfile(0, 10, 5000, 1000))
                .timeScale(0)
                .contextTokens(model -> model.equals(MODEL) ? 10 : 0)
                .build()) {
            String ten = "one two three four five six seven eight nine"; // 9 words and the prompt's newline
            assertThat(refusal(small.generate("eu-west-1", "eu-west-1", MODEL, ask(ten + " ten", null, List.of()))))
                    .isEqualTo("Input is too long for requested model: the prompt is 10 tokens, the model's context"
                            + " window 10.");
            assertThat(refusal(small.generate("eu-west-1", "eu-west-1", MODEL, ask("one two", 9, List.of()))))
                    .isEqualTo("Input and the output limit asked for exceed the model's context window: 2 + 9 > 10"
                            + " tokens. Shorten the prompt or lower the output limit.");
            // capacity 0: what fits gets as far as the throttle
            assertThatThrownBy(() -> small.generate("eu-west-1", "eu-west-1", MODEL, ask("one two", 8, List.of()))
                            .join())
                    .satisfies(e -> assertThat(((UpstreamException) e.getCause()).kind())
                            .isEqualTo(FailureKind.THROTTLED));
            assertThatThrownBy(() -> small.generate(
                                    "eu-west-1", "eu-west-1", "other.model", ask(ten + " ten", null, List.of()))
                            .join())
                    .satisfies(e -> assertThat(((UpstreamException) e.getCause()).kind())
                            .isEqualTo(FailureKind.THROTTLED));

            List<UpstreamException> streamed = new ArrayList<>();
            small.stream("eu-west-1", "eu-west-1", MODEL, ask(ten + " ten", null, List.of()), failuresTo(streamed));
            assertThat(streamed)
                    .singleElement()
                    .satisfies(u -> assertThat(u.kind()).isEqualTo(FailureKind.CONTEXT_EXCEEDED));
            assertThat(small.inFlight("eu-west-1", MODEL)).isZero();
        }
    }

    private static String refusal(CompletableFuture<ChatResponse> answer) {
        assertThat(answer).isCompletedExceptionally();
        UpstreamException u = (UpstreamException) answer.exceptionNow();
        assertThat(u.kind()).isEqualTo(FailureKind.CONTEXT_EXCEEDED);
        return u.getMessage();
    }

    private static RegionSimulator.StreamListener failuresTo(List<UpstreamException> failures) {
        return new RegionSimulator.StreamListener() {
            @Override
            public void onStart(int inputTokens) {}

            @Override
            public void onText(String text, List<dev.meridian.core.chat.TokenLogprob> logprobs) {}

            @Override
            public void onToolUse(dev.meridian.core.chat.ContentBlock.ToolUse toolUse) {}

            @Override
            public void onComplete(StopReason stopReason, String stopSequence, dev.meridian.core.chat.Usage usage) {}

            @Override
            public void onError(UpstreamException failure) {
                failures.add(failure);
            }
        };
    }

    @Test
    void generate_overCapacity_throttlesAndReleasesSlots() {
        List<CompletableFuture<ChatResponse>> running = new ArrayList<>();
        running.add(sim.generate("eu-central-1", "eu-central-1", MODEL, ask("a", null, List.of())));
        running.add(sim.generate("eu-central-1", "eu-central-1", MODEL, ask("b", null, List.of())));
        CompletableFuture<ChatResponse> third =
                sim.generate("eu-central-1", "eu-central-1", MODEL, ask("c", null, List.of()));

        assertThat(third).isCompletedExceptionally();
        assertThatThrownBy(third::join)
                .hasCauseInstanceOf(UpstreamException.class)
                .satisfies(e ->
                        assertThat(((UpstreamException) e.getCause()).kind()).isEqualTo(FailureKind.THROTTLED));
        running.forEach(CompletableFuture::join);
        assertThat(sim.inFlight("eu-central-1", MODEL)).isZero();
        assertThat(sim.processedIn("eu-central-1")).isEqualTo(2);
    }

    @Test
    void generate_givenUpBeforeTheAnswer_freesItsSequenceAtOnce() {
        try (RegionSimulator slow = RegionSimulator.builder(RTT).timeScale(1).build()) {
            slow.setCapacity("eu-central-1", 1);
            CompletableFuture<ChatResponse> first =
                    slow.generate("eu-central-1", "eu-central-1", MODEL, ask("a", null, List.of()));
            assertThat(slow.generate("eu-central-1", "eu-central-1", MODEL, ask("b", null, List.of())))
                    .as("the only sequence is taken")
                    .isCompletedExceptionally();

            first.completeExceptionally(new UpstreamException(FailureKind.TIMEOUT, "attempt timed out"));

            assertThat(slow.inFlight("eu-central-1", MODEL)).isZero();
            CompletableFuture<ChatResponse> next =
                    slow.generate("eu-central-1", "eu-central-1", MODEL, ask("c", null, List.of()));
            assertThat(next.join().usage().outputTokens()).isPositive();
            assertThat(slow.processedIn("eu-central-1"))
                    .as("the given-up request was not processed")
                    .isEqualTo(1);
            assertThat(slow.inFlight("eu-central-1", MODEL)).isZero();
        }
    }

    @Test
    void setCapacity_zero_throttlesEverything_andNullRestores() {
        sim.setCapacity("eu-central-1", 0);
        assertThat(sim.generate("eu-central-1", "eu-central-1", MODEL, ask("a", null, List.of())))
                .isCompletedExceptionally();
        sim.setCapacity("eu-central-1", null);
        assertThat(sim.profile("eu-central-1", MODEL).capacity()).isEqualTo(2);
    }

    @Test
    void generate_remoteRegion_takesAtLeastTheRoundTrip() {
        RegionSimulator realTime = RegionSimulator.builder(RTT)
                .defaults(new ServingProfile(8, 0, 1e9, 1e9))
                .timeScale(1)
                .build();
        long t0 = System.nanoTime();
        realTime.generate("eu-central-1", "eu-west-1", MODEL, ask("a", null, List.of()))
                .join();
        long remote = System.nanoTime() - t0;
        realTime.close();
        assertThat(remote / 1e6).isGreaterThanOrEqualTo(RTT.millis("eu-central-1", "eu-west-1") * 0.9);
    }
}
