package dev.meridian.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.UpstreamException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated model thinks when asked: signed thinking first, then the same answer it gives unasked, the two
 * sharing the output limit; streamed, the thinking and its signature come before the text.
 */
class ThinkingTest {
    final RegionSimulator sim = RegionSimulatorTest.small();

    @AfterEach
    void close() {
        sim.close();
    }

    static ChatRequest thinking(Integer maxTokens, Reasoning reasoning) {
        ChatRequest r = RegionSimulatorTest.ask("Where is my data processed?", maxTokens, List.of());
        return r.withParams(r.params().withReasoning(reasoning));
    }

    ChatResponse generate(ChatRequest request) {
        return sim.generate("eu-west-1", "eu-west-1", RegionSimulatorTest.MODEL, request)
                .join();
    }

    @Test
    void askedToThink_itsSignedThinkingComesFirst_andCountsAsOutput() {
        ChatResponse plain = generate(thinking(null, null));
        ChatResponse low = generate(thinking(null, Reasoning.effort("low")));
        ChatResponse high = generate(thinking(null, Reasoning.effort("high")));
        var thought = (ContentBlock.Reasoning) low.message().content().get(0);
        assertThat(thought.text()).isNotBlank();
        assertThat(thought.signature()).isEqualTo(TextGenerator.signature(RegionSimulatorTest.MODEL, thought.text()));
        assertThat(low.message().content().get(1))
                .isEqualTo(plain.message().content().get(0));
        int thinkingTokens = Tokenizer.count(thought.text());
        assertThat(thinkingTokens).isBetween(1, 32);
        assertThat(low.usage().outputTokens()).isEqualTo(plain.usage().outputTokens() + thinkingTokens);
        var more = (ContentBlock.Reasoning) high.message().content().get(0);
        assertThat(Tokenizer.count(more.text())).isGreaterThanOrEqualTo(thinkingTokens);
    }

    @Test
    void thinkingAndAnswer_shareTheOutputLimit() {
        ChatResponse r = generate(thinking(20, Reasoning.budget(4096)));
        assertThat(r.usage().outputTokens()).isEqualTo(20);
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        var thought = (ContentBlock.Reasoning) r.message().content().get(0);
        String text = ((ContentBlock.Text) r.message().content().get(1)).text();
        assertThat(Tokenizer.count(thought.text()) + Tokenizer.count(text)).isEqualTo(20);
    }

    @Test
    void streamed_theThinkingAndItsSignatureComeBeforeTheText() throws Exception {
        ChatRequest request = thinking(null, Reasoning.effort("medium"));
        ChatResponse whole = generate(request);
        StringBuilder order = new StringBuilder();
        StringBuilder thought = new StringBuilder();
        StringBuilder text = new StringBuilder();
        String[] signature = new String[1];
        CompletableFuture<Usage> done = new CompletableFuture<>();
        sim.stream("eu-west-1", "eu-west-1", RegionSimulatorTest.MODEL, request, new RegionSimulator.StreamListener() {
            @Override
            public void onStart(int inputTokens) {}

            @Override
            public void onReasoning(String part) {
                thought.append(part);
                if (order.isEmpty()) {
                    order.append("thinking ");
                }
            }

            @Override
            public void onReasoningEnd(String signed) {
                signature[0] = signed;
                order.append("signature ");
            }

            @Override
            public void onText(String part, List<TokenLogprob> logprobs) {
                if (text.isEmpty()) {
                    order.append("text");
                }
                text.append(part);
            }

            @Override
            public void onToolUse(ContentBlock.ToolUse toolUse) {}

            @Override
            public void onComplete(StopReason stopReason, String stopSequence, Usage usage) {
                done.complete(usage);
            }

            @Override
            public void onError(UpstreamException failure) {
                done.completeExceptionally(failure);
            }
        });
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(whole.usage());
        assertThat(order).hasToString("thinking signature text");
        assertThat(ContentBlock.Reasoning.text(thought.toString(), signature[0]))
                .isEqualTo(whole.message().content().get(0));
        assertThat(text)
                .hasToString(((ContentBlock.Text) whole.message().content().get(1)).text());
    }

    /** Signed thinking sent back must be the model's own, unchanged; unsigned thinking is taken as text. */
    @Test
    void alteredThinkingInTheHistory_isRefused_unsignedIsTaken() {
        ChatResponse first = generate(thinking(null, Reasoning.effort("low")));
        var thought = (ContentBlock.Reasoning) first.message().content().get(0);
        ChatRequest ask = thinking(null, Reasoning.effort("low"));
        java.util.function.Function<ContentBlock, ChatRequest> withHistory = block -> new ChatRequest(
                List.of(),
                List.of(
                        ask.messages().get(0),
                        new dev.meridian.core.chat.Message(
                                dev.meridian.core.chat.Role.ASSISTANT,
                                List.of(block, first.message().content().get(1))),
                        dev.meridian.core.chat.Message.text(dev.meridian.core.chat.Role.USER, "And the audit?")),
                ask.params(),
                java.util.Map.of());
        assertThat(generate(withHistory.apply(thought)).message().content()).hasSize(2);
        assertThat(generate(withHistory.apply(ContentBlock.Reasoning.text(thought.text(), null)))
                        .message()
                        .content())
                .hasSize(2);
        var altered = withHistory.apply(ContentBlock.Reasoning.text(thought.text() + " Or not.", thought.signature()));
        assertThat(sim.generate("eu-west-1", "eu-west-1", RegionSimulatorTest.MODEL, altered))
                .failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(dev.meridian.core.route.FailureKind.INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("messages.1.content.0: Invalid `signature` in `thinking` block");
                });
    }
}
