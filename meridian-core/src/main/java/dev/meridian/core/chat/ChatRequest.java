package dev.meridian.core.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical conversation request every surface translates into and every provider translates out of.
 *
 * @param system system prompts, in order
 * @param messages the conversation, oldest first; never empty
 * @param params sampling parameters
 * @param metadata caller-supplied request metadata (Bedrock {@code requestMetadata}), for logs only
 */
public record ChatRequest(
        List<String> system, List<Message> messages, InferenceParams params, Map<String, String> metadata) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages: [] (expected: at least one message)");
        }
        Objects.requireNonNull(params, "params");
        metadata = Map.copyOf(metadata);
    }
}
