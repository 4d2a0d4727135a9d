package dev.meridian.core.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical conversation request every surface translates into and every provider translates out of.
 *
 * @param system system prompts, in order
 * @param messages the conversation, oldest first; empty only beside a system prompt, and it may start with the
 *     assistant (OpenAI takes both; see {@link #startsWithUser()})
 * @param params sampling parameters
 * @param metadata caller-supplied request metadata (Bedrock {@code requestMetadata}), for logs only
 * @param tools tools the model may call; empty for none
 * @param toolChoice how the model may use them
 * @param responseFormat an OpenAI-style {@code response_format} object as JSON text ({@code json_object} or
 *     {@code json_schema}), passed to upstreams that support it; {@code null} for free text
 */
public record ChatRequest(
        List<String> system,
        List<Message> messages,
        InferenceParams params,
        Map<String, String> metadata,
        List<ToolSpec> tools,
        ToolChoice toolChoice,
        String responseFormat) {

    /** A request without tools. */
    public ChatRequest(
            List<String> system, List<Message> messages, InferenceParams params, Map<String, String> metadata) {
        this(system, messages, params, metadata, List.of(), ToolChoice.AUTO, null);
    }

    /** A request with tools and free-text output. */
    public ChatRequest(
            List<String> system,
            List<Message> messages,
            InferenceParams params,
            Map<String, String> metadata,
            List<ToolSpec> tools,
            ToolChoice toolChoice) {
        this(system, messages, params, metadata, tools, toolChoice, null);
    }

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        if (messages.isEmpty() && system.isEmpty()) { // OpenAI answers a conversation of system messages only
            throw new IllegalArgumentException("messages: [] (expected: at least one message, or a system prompt)");
        }
        Objects.requireNonNull(params, "params");
        metadata = Map.copyOf(metadata);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
    }

    /** This request with other sampling parameters. */
    public ChatRequest withParams(InferenceParams newParams) {
        return new ChatRequest(system, messages, newParams, metadata, tools, toolChoice, responseFormat);
    }

    /**
     * Whether the conversation starts with a user message, which Bedrock's Converse and Anthropic's Messages API
     * require (OpenAI does not).
     */
    public boolean startsWithUser() {
        return !messages.isEmpty() && messages.get(0).role() == Role.USER;
    }
}
