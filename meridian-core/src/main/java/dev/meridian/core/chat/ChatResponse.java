package dev.meridian.core.chat;

import java.util.List;
import java.util.Objects;

/**
 * The canonical answer of a model: the assistant message, why it stopped, and the token counts.
 *
 * @param logprobs the output tokens' log probabilities, in order, when the request asked for them (else empty)
 */
public record ChatResponse(Message message, StopReason stopReason, Usage usage, List<TokenLogprob> logprobs) {

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
        logprobs = List.copyOf(logprobs);
    }

    public ChatResponse(Message message, StopReason stopReason, Usage usage) {
        this(message, stopReason, usage, List.of());
    }
}
