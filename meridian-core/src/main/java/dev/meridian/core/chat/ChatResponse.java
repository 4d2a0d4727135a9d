package dev.meridian.core.chat;

import java.util.Objects;

/** The canonical answer of a model: the assistant message, why it stopped, and the token counts. */
public record ChatResponse(Message message, StopReason stopReason, Usage usage) {

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
    }
}
