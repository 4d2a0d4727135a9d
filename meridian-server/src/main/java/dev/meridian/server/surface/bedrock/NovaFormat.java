package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.List;

/**
 * Amazon Nova's native {@code messages-v1} schema: the Converse shape, with {@code inferenceConfig} keys
 * {@code max_new_tokens}, {@code top_p}, {@code top_k} (the camel-case Converse names are accepted too), and a
 * stream of Converse-like chunks ({@code messageStart}, {@code contentBlockDelta}, ..., {@code metadata}).
 */
final class NovaFormat implements NativeFormat {

    @Override
    public ChatRequest parse(JsonNode body) {
        String schema = body.path("schemaVersion").asText("messages-v1");
        if (!schema.equals("messages-v1")) {
            throw GatewayException.validation("schemaVersion: " + schema + " (expected: messages-v1).");
        }
        ObjectNode converse = ((ObjectNode) body).deepCopy();
        converse.remove("schemaVersion");
        JsonNode config = body.get("inferenceConfig");
        Integer topK = null;
        if (config != null && config.isObject()) {
            ObjectNode c = (ObjectNode) config.deepCopy();
            rename(c, "max_new_tokens", "maxTokens");
            rename(c, "top_p", "topP");
            JsonNode k = c.remove("top_k");
            k = k == null ? c.remove("topK") : k;
            topK = k == null ? null : BedrockFields.integerAtLeast(k, 1, "inferenceConfig.top_k");
            converse.set("inferenceConfig", c);
        }
        ChatRequest r = ConverseCodec.parse(converse);
        InferenceParams p = r.params();
        return new ChatRequest(
                r.system(),
                r.messages(),
                new InferenceParams(p.maxTokens(), p.temperature(), p.topP(), p.stopSequences(), topK)
                        .withReasoning(p.reasoning()),
                r.metadata(),
                r.tools(),
                r.toolChoice());
    }

    private static void rename(ObjectNode node, String from, String to) {
        JsonNode v = node.remove(from);
        if (v != null && !node.has(to)) {
            node.set(to, v);
        }
    }

    @Override
    public ObjectNode render(ChatResponse response, String modelId, String requestId) {
        return ConverseCodec.renderAnswer(response);
    }

    @Override
    public StreamEncoder streamEncoder(String modelId, String requestId) {
        return event -> {
            ObjectNode chunk = Json.object();
            switch (event) {
                case ChatEvent.MessageStart m -> chunk.putObject("messageStart").put("role", "assistant");
                case ChatEvent.BlockStart b -> {
                    ObjectNode start = chunk.putObject("contentBlockStart");
                    ObjectNode tool = start.putObject("start").putObject("toolUse");
                    tool.put("toolUseId", b.toolUseId());
                    tool.put("name", b.toolName());
                    start.put("contentBlockIndex", b.index());
                }
                case ChatEvent.TextDelta d -> {
                    ObjectNode delta = chunk.putObject("contentBlockDelta");
                    delta.putObject("delta").put("text", d.text());
                    delta.put("contentBlockIndex", d.index());
                }
                case ChatEvent.ReasoningDelta d -> {
                    ObjectNode delta = chunk.putObject("contentBlockDelta");
                    delta.set("delta", ConverseReasoning.delta(d));
                    delta.put("contentBlockIndex", d.index());
                }
                case ChatEvent.ToolInputDelta d -> {
                    ObjectNode delta = chunk.putObject("contentBlockDelta");
                    delta.putObject("delta").putObject("toolUse").put("input", d.json());
                    delta.put("contentBlockIndex", d.index());
                }
                case ChatEvent.BlockStop s ->
                    chunk.putObject("contentBlockStop").put("contentBlockIndex", s.index());
                case ChatEvent.MessageStop s ->
                    chunk.putObject("messageStop").put("stopReason", ConverseCodec.stopReason(s.stopReason()));
                case ChatEvent.Metadata m -> {
                    ObjectNode meta = chunk.putObject("metadata");
                    ObjectNode usage = meta.putObject("usage");
                    usage.put("inputTokens", m.usage().inputTokens());
                    usage.put("outputTokens", m.usage().outputTokens());
                    meta.putObject("metrics");
                    meta.putObject("trace");
                }
            }
            return List.of(chunk);
        };
    }
}
