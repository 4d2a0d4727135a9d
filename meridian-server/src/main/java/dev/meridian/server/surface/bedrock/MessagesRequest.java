package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.error.GatewayException;
import java.util.List;

/**
 * A request to Anthropic's Messages API as Bedrock's Messages endpoint takes it ({@code POST /anthropic/v1/messages},
 * the endpoint Anthropic's {@code AnthropicBedrockMantle} clients call): InvokeModel's Anthropic body with the
 * {@code model} and {@code stream} in it and the API version in the {@code anthropic-version} header instead. Both
 * published versions are taken; under {@code 2026-10-21} the sampling parameters it removed ({@code temperature},
 * {@code top_p}, {@code top_k}) and citations on a user's text are refused, as that version refuses them.
 *
 * @param model the model or inference profile asked for
 * @param stream whether the answer is streamed as server-sent events
 * @param request the canonical request
 */
record MessagesRequest(String model, boolean stream, ChatRequest request) {
    static final String VERSION_HEADER = "anthropic-version";
    static final String CLASSIC = "2023-06-01";
    static final String CURRENT = "2026-10-21";
    private static final List<String> REMOVED_IN_CURRENT = List.of("temperature", "top_p", "top_k");

    static MessagesRequest parse(RequestHeaders headers, byte[] body) {
        return parse(headers, body, false);
    }

    /**
     * A token count's request ({@code POST /anthropic/v1/messages/count_tokens}): a message's body without
     * {@code max_tokens} or {@code stream}, neither of which counting takes.
     */
    static MessagesRequest parseCount(RequestHeaders headers, byte[] body) {
        return parse(headers, body, true);
    }

    private static MessagesRequest parse(RequestHeaders headers, byte[] body, boolean count) {
        String version = headers.get(VERSION_HEADER);
        if (version == null) {
            throw GatewayException.validation("anthropic-version: header is required");
        }
        if (!version.equals(CLASSIC) && !version.equals(CURRENT)) {
            throw GatewayException.validation("anthropic-version: '" + version + "' is not a valid version (expected: "
                    + CURRENT + " or " + CLASSIC + ").");
        }
        ObjectNode root = (ObjectNode) ConverseCodec.readObject(body); // a tree of its own, parsed here
        JsonNode model = root.remove("model");
        if (model == null || model.isNull()) {
            throw GatewayException.validation("model: Field required");
        }
        if (!model.isTextual() || model.textValue().isEmpty()) {
            throw GatewayException.validation("model: Input should be a valid model id string");
        }
        if (count) {
            for (String notCounted : List.of("max_tokens", "stream")) {
                if (root.has(notCounted)) {
                    throw GatewayException.validation(notCounted + ": Extra inputs are not permitted");
                }
            }
            root.put("max_tokens", 1); // InvokeModel's body requires it; a count has no output
        }
        JsonNode stream = root.remove("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw GatewayException.validation("stream: Input should be a valid boolean");
        }
        if (root.has("anthropic_version")) {
            throw GatewayException.validation(
                    "anthropic_version: Extra inputs are not permitted (the version is the anthropic-version header).");
        }
        if (version.equals(CURRENT)) {
            refuseWhatCurrentRemoved(root);
        }
        root.put("anthropic_version", AnthropicFormat.VERSION);
        return new MessagesRequest(
                model.textValue(),
                stream != null && stream.asBoolean(),
                NativeFormats.anthropic().parse(root));
    }

    private static void refuseWhatCurrentRemoved(JsonNode root) {
        for (String removed : REMOVED_IN_CURRENT) {
            if (root.has(removed)) {
                throw GatewayException.validation(removed + ": not supported in API version " + CURRENT
                        + " (send anthropic-version " + CLASSIC + " to use it).");
            }
        }
        JsonNode messages = root.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            if (!"user".equals(messages.get(i).path("role").asText())) {
                continue;
            }
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; j < content.size(); j++) {
                JsonNode citations = content.get(j).path("citations");
                if ("text".equals(content.get(j).path("type").asText())
                        && citations.isArray()
                        && !citations.isEmpty()) {
                    throw GatewayException.validation("messages." + i + ".content." + j
                            + ".citations: citations on a user's text are not supported in API version " + CURRENT
                            + ".");
                }
            }
        }
    }
}
