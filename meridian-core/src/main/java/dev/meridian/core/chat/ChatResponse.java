package dev.meridian.core.chat;

import java.util.List;
import java.util.Objects;

/**
 * The canonical answer of a model: the assistant message, why it stopped, and the token counts.
 *
 * @param logprobs the output tokens' log probabilities, in order, when the request asked for them (else empty)
 * @param stopSequence the stop sequence that ended generation (Anthropic's {@code stop_sequence}); {@code null}
 *     for any other stop, or where the destination did not say which (OpenAI's API, Bedrock)
 */
public record ChatResponse(
        Message message, StopReason stopReason, Usage usage, List<TokenLogprob> logprobs, String stopSequence) {

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
        logprobs = List.copyOf(logprobs);
        if (stopSequence != null && stopReason != StopReason.STOP_SEQUENCE) {
            throw new IllegalArgumentException("stopSequence: only for stop reason STOP_SEQUENCE, not " + stopReason);
        }
    }

    public ChatResponse(Message message, StopReason stopReason, Usage usage, List<TokenLogprob> logprobs) {
        this(message, stopReason, usage, logprobs, null);
    }

    public ChatResponse(Message message, StopReason stopReason, Usage usage) {
        this(message, stopReason, usage, List.of());
    }
}
