package dev.meridian.core.chat;

import java.util.List;

/**
 * One event of a streamed answer, in the order a model produces them: {@link MessageStart}, then per content
 * block an optional {@link BlockStart}, deltas and a {@link BlockStop}, then {@link MessageStop} and
 * {@link Metadata}. Surfaces translate these to their own framing (Bedrock event stream, OpenAI SSE).
 */
public sealed interface ChatEvent {

    /** The assistant starts answering; {@code inputTokens} is the prompt's size once prefilled (0 if unknown). */
    record MessageStart(int inputTokens) implements ChatEvent {}

    /** A tool-use block starts; text blocks start implicitly with their first delta. */
    record BlockStart(int index, String toolUseId, String toolName) implements ChatEvent {}

    /** More text of block {@code index}, with its tokens' log probabilities when the request asked for them. */
    record TextDelta(int index, String text, List<TokenLogprob> logprobs) implements ChatEvent {

        public TextDelta {
            logprobs = List.copyOf(logprobs);
        }

        public TextDelta(int index, String text) {
            this(index, text, List.of());
        }
    }

    /** More of the JSON input of tool-use block {@code index} (a fragment; only the concatenation is JSON). */
    record ToolInputDelta(int index, String json) implements ChatEvent {}

    /** Block {@code index} is complete. */
    record BlockStop(int index) implements ChatEvent {}

    /**
     * Generation ended; {@code stopSequence} is the stop sequence that ended it, where the destination said which
     * (see {@link ChatResponse#stopSequence()}), else {@code null}.
     */
    record MessageStop(StopReason stopReason, String stopSequence) implements ChatEvent {
        public MessageStop(StopReason stopReason) {
            this(stopReason, null);
        }
    }

    /** Token counts, last. */
    record Metadata(Usage usage) implements ChatEvent {}
}
