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

    /**
     * More of reasoning block {@code index}: its text, then its signature, or its redacted bytes (base64); one of
     * the three. Reasoning blocks start implicitly, as text blocks do, and come before the answer's.
     */
    record ReasoningDelta(int index, String text, String signature, String redactedBase64) implements ChatEvent {
        public ReasoningDelta {
            int given = (text == null ? 0 : 1) + (signature == null ? 0 : 1) + (redactedBase64 == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalArgumentException("a reasoning delta carries one of text, signature, redacted");
            }
        }

        public static ReasoningDelta text(int index, String text) {
            return new ReasoningDelta(index, text, null, null);
        }

        public static ReasoningDelta signature(int index, String signature) {
            return new ReasoningDelta(index, null, signature, null);
        }

        public static ReasoningDelta redacted(int index, String base64) {
            return new ReasoningDelta(index, null, null, base64);
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
