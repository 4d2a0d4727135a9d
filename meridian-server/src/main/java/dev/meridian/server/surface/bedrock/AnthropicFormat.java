package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's Messages API as Bedrock carries it ({@code anthropic_version: bedrock-2023-05-31}): request with
 * {@code max_tokens}, {@code system}, {@code messages} (text, {@code tool_use}, {@code tool_result}, {@code
 * thinking}), sampling fields, {@code thinking} and {@code tools}; response {@code {"type":"message", "content": [...], "stop_reason", "usage"}}; stream
 * of {@code message_start}, {@code content_block_*}, {@code message_delta}, {@code message_stop}.
 */
final class AnthropicFormat implements NativeFormat {
    static final String VERSION = "bedrock-2023-05-31";

    /**
     * Anthropic's SDKs put their own API version (2026-10-21 from their 2026 majors on) into the body they send to
     * Bedrock, which these models' InvokeModel does not take; the caller can pin it.
     */
    private static final String DATED_VERSION_HINT = " Anthropic's SDKs send their API version here: set their"
            + " anthropic-version header to " + VERSION + " (e.g. the client's default headers) to call this model.";

    /** Members of the Messages API that this gateway cannot honour yet: refused, naming them. */
    private static final List<String> UNSUPPORTED = List.of("mcp_servers", "container");

    /**
     * The members of Bedrock's Anthropic Messages body, {@link #UNSUPPORTED} included. {@code anthropic_beta} and
     * {@code metadata} are accepted and not used (clients such as Claude Code send them); anything else is refused
     * as Bedrock refuses it.
     */
    private static final Set<String> FIELDS = Json.members(
            UNSUPPORTED,
            "anthropic_version",
            "anthropic_beta",
            "max_tokens",
            "messages",
            "system",
            "temperature",
            "top_p",
            "top_k",
            "stop_sequences",
            "tools",
            "tool_choice",
            "thinking",
            "metadata");

    /*
     * The members of the body's nested objects, as the Messages API defines them: a misspelt one ("tool_use_ids")
     * is refused rather than ignored. cache_control (prompt caching) and a text block's citations are accepted and
     * not used; clients send them routinely.
     */
    private static final Set<String> MESSAGE = Set.of("role", "content");
    private static final Set<String> TEXT_BLOCK = Set.of("type", "text", "cache_control", "citations");
    private static final Set<String> IMAGE_BLOCK = Set.of("type", "source", "cache_control");
    /** An image's or a document's {@code source}. */
    private static final Set<String> SOURCE = Set.of("type", "media_type", "data");

    private static final Set<String> THINKING_BLOCK = Set.of("type", "thinking", "signature");
    private static final Set<String> REDACTED_THINKING_BLOCK = Set.of("type", "data");
    private static final Set<String> TOOL_USE_BLOCK = Set.of("type", "id", "name", "input", "cache_control");
    private static final Set<String> TOOL_RESULT_BLOCK =
            Set.of("type", "tool_use_id", "content", "is_error", "cache_control");
    private static final Set<String> DOCUMENT_BLOCK =
            Set.of("type", "source", "title", "context", "citations", "cache_control");
    private static final Set<String> TOOL = Set.of("type", "name", "description", "input_schema", "cache_control");
    private static final Set<String> TOOL_CHOICE = Set.of("type", "name", "disable_parallel_tool_use");

    @Override
    public ChatRequest parse(JsonNode body) {
        String version = body.path("anthropic_version").asText(null);
        if (!VERSION.equals(version)) {
            throw GatewayException.validation("anthropic_version: " + version + " (expected: " + VERSION + ")."
                    + (version != null && version.matches("\\d{4}-\\d{2}-\\d{2}") ? DATED_VERSION_HINT : ""));
        }
        JsonNode max = body.get("max_tokens");
        if (max == null || !max.isIntegralNumber() || max.intValue() < 1) {
            throw GatewayException.validation("max_tokens: " + max + " (expected: an integer >= 1).");
        }
        BedrockFields.onlyKnown(body, FIELDS, "");
        BedrockFields.strings(body, "anthropic_beta", "");
        BedrockFields.object(body, "metadata", "");
        for (String unsupported : UNSUPPORTED) {
            if (body.hasNonNull(unsupported)) {
                throw GatewayException.validation(
                        "The field '" + unsupported + "' is not supported by this gateway yet.");
            }
        }
        Integer topK = BedrockFields.integer(body, "top_k", "");
        if (topK != null && topK < 0) {
            throw GatewayException.validation("top_k: " + topK + " (expected: an integer >= 0).");
        }
        Reasoning reasoning =
                body.hasNonNull("thinking") ? ConverseReasoning.thinking(body.get("thinking"), "thinking") : null;
        ConverseReasoning.checkBudget(reasoning, max.intValue(), "thinking.budget_tokens", "max_tokens");
        InferenceParams params = new InferenceParams(
                        max.intValue(),
                        unit(body, "temperature"),
                        unit(body, "top_p"),
                        BedrockFields.strings(body, "stop_sequences", ""),
                        topK)
                .withReasoning(reasoning);
        List<ToolSpec> tools = tools(body.get("tools"));
        return new ChatRequest(
                system(body.get("system")),
                messages(body.get("messages")),
                params,
                Map.of(),
                tools,
                choice(body.get("tool_choice"), tools));
    }

    /** A tool call's {@code input}: a JSON object (Anthropic's tool inputs are always objects). */
    private static String input(JsonNode toolUse, String where) {
        JsonNode input = toolUse.get("input");
        if (input == null || !input.isObject()) {
            throw GatewayException.validation(where + "input must be an object.");
        }
        return input.toString();
    }

    private static Double unit(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
            throw GatewayException.validation(field + ": " + v + " (expected: a number in 0..1).");
        }
        return v.doubleValue();
    }

    private static List<String> system(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw GatewayException.validation("system must be a string or a list of text blocks.");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode block = node.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw GatewayException.validation("system: only text blocks are supported.");
            }
            BedrockFields.onlyKnown(block, TEXT_BLOCK, "/system/" + i);
            out.add(BedrockFields.requiredString(block, "text", "system[" + i + "]."));
        }
        return out;
    }

    private static List<Message> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw GatewayException.validation("messages: a non-empty list is required.");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            BedrockFields.onlyKnown(m, MESSAGE, "/messages/" + i);
            String role = m.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                throw GatewayException.validation(
                        "messages[" + i + "].role: " + role + " (expected: user or assistant).");
            }
            out.add(new Message(role.equals("user") ? Role.USER : Role.ASSISTANT, content(m.get("content"), i)));
        }
        if (out.get(0).role() != Role.USER) {
            throw GatewayException.validation("messages: the first message must use the \"user\" role.");
        }
        try {
            Documents.checkCount(out);
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(e.getMessage());
        }
        return out;
    }

    private static List<ContentBlock> content(JsonNode node, int i) {
        if (node != null && node.isTextual()) {
            return List.of(text(node.textValue()));
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw GatewayException.validation("messages[" + i + "].content must be a string or a non-empty list.");
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int j = 0; j < node.size(); j++) {
            JsonNode b = node.get(j);
            String where = "messages[" + i + "].content[" + j + "].";
            String pointer = "/messages/" + i + "/content/" + j;
            String type = b.path("type").asText();
            switch (type) {
                case "text" -> {
                    BedrockFields.onlyKnown(b, TEXT_BLOCK, pointer);
                    blocks.add(text(BedrockFields.requiredString(b, "text", where)));
                }
                case "image" -> {
                    BedrockFields.onlyKnown(b, IMAGE_BLOCK, pointer);
                    JsonNode source = b.path("source");
                    BedrockFields.onlyKnown(source, SOURCE, pointer + "/source");
                    if (!"base64".equals(source.path("type").asText())) {
                        throw GatewayException.validation(
                                "messages[" + i + "].content: only base64 image sources are supported.");
                    }
                    try {
                        blocks.add(dev.meridian.core.chat.Images.of(
                                BedrockFields.requiredString(source, "media_type", where + "source.")
                                        .replace("image/", ""),
                                BedrockFields.requiredString(source, "data", where + "source.")));
                    } catch (IllegalArgumentException e) {
                        throw GatewayException.validation("messages[" + i + "].content: " + e.getMessage() + ".");
                    }
                }
                case "document" -> blocks.add(document(b, where, pointer));
                case "thinking" -> {
                    BedrockFields.onlyKnown(b, THINKING_BLOCK, pointer);
                    blocks.add(ContentBlock.Reasoning.text(
                            BedrockFields.requiredString(b, "thinking", where),
                            BedrockFields.string(b, "signature", where)));
                }
                case "redacted_thinking" -> {
                    BedrockFields.onlyKnown(b, REDACTED_THINKING_BLOCK, pointer);
                    blocks.add(ContentBlock.Reasoning.redacted(BedrockFields.requiredString(b, "data", where)));
                }
                case "tool_use" -> {
                    BedrockFields.onlyKnown(b, TOOL_USE_BLOCK, pointer);
                    blocks.add(new ContentBlock.ToolUse(
                            BedrockFields.requiredString(b, "id", where),
                            BedrockFields.requiredString(b, "name", where),
                            input(b, where)));
                }
                case "tool_result" -> {
                    BedrockFields.onlyKnown(b, TOOL_RESULT_BLOCK, pointer);
                    List<ContentBlock> parts = new ArrayList<>();
                    JsonNode c = b.get("content");
                    if (c != null && c.isTextual()) {
                        parts.add(new ContentBlock.Text(c.asText()));
                    } else {
                        JsonNode list = BedrockFields.list(b, "content", where);
                        for (int k = 0; k < list.size(); k++) {
                            String part = where + "content[" + k + "].";
                            if (!"text".equals(list.get(k).path("type").asText("text"))) {
                                throw GatewayException.validation(
                                        part + "type: only text tool results are supported by this gateway yet.");
                            }
                            BedrockFields.onlyKnown(list.get(k), TEXT_BLOCK, pointer + "/content/" + k);
                            parts.add(new ContentBlock.Text(BedrockFields.requiredString(list.get(k), "text", part)));
                        }
                    }
                    blocks.add(new ContentBlock.ToolResult(
                            BedrockFields.requiredString(b, "tool_use_id", where),
                            parts,
                            BedrockFields.bool(b, "is_error", where, false)));
                }
                default ->
                    throw GatewayException.validation("messages[" + i + "].content: block type '" + type
                            + "' is not supported by this gateway yet.");
            }
        }
        return blocks;
    }

    /**
     * A document block with a {@code base64} source (a PDF) or a {@code text} one (plain text); its {@code title},
     * made to Bedrock's name rule, names it. Citations and context change what the model answers: refused.
     */
    private static ContentBlock document(JsonNode b, String where, String pointer) {
        BedrockFields.onlyKnown(b, DOCUMENT_BLOCK, pointer);
        if (b.path("citations").path("enabled").asBoolean(false) || b.hasNonNull("context")) {
            throw GatewayException.validation(where + "citations and context are not supported by this gateway yet.");
        }
        JsonNode source = b.path("source");
        BedrockFields.onlyKnown(source, SOURCE, pointer + "/source");
        String type = source.path("type").asText();
        String mediaType = BedrockFields.requiredString(source, "media_type", where + "source.");
        String data = BedrockFields.requiredString(source, "data", where + "source.");
        String format = Documents.formatOf(mediaType);
        if (!type.equals("base64") && !type.equals("text") || format == null) {
            throw GatewayException.validation(where + "source: only base64 and text sources of a document format"
                    + " (application/pdf, text/plain, text/csv, ...) are supported by this gateway.");
        }
        String base64 = type.equals("base64")
                ? data
                : java.util.Base64.getEncoder().encodeToString(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            return Documents.of(format, Documents.nameOf(BedrockFields.string(b, "title", where)), base64);
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(where + e.getMessage() + ".");
        }
    }

    private static List<ToolSpec> tools(JsonNode node) {
        List<ToolSpec> out = new ArrayList<>();
        if (node != null && !node.isNull() && !node.isArray()) {
            throw GatewayException.validation("tools must be a list.");
        }
        if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode t = node.get(i);
                BedrockFields.onlyKnown(t, TOOL, "/tools/" + i);
                if (!t.path("name").isTextual() || !t.path("input_schema").isObject()) {
                    throw GatewayException.validation("tools[]: each tool needs a name and an input_schema object.");
                }
                String description = BedrockFields.string(t, "description", "tools[" + i + "].");
                out.add(new ToolSpec(
                        t.get("name").asText(),
                        description == null ? "" : description,
                        t.get("input_schema").toString()));
            }
        }
        return out;
    }

    /** A message's text, which the Messages API requires to contain more than white space (its own wording). */
    private static ContentBlock.Text text(String value) {
        if (value.isBlank()) {
            throw GatewayException.validation("messages: text content blocks must contain non-whitespace text");
        }
        return new ContentBlock.Text(value);
    }

    private static ToolChoice choice(JsonNode node, List<ToolSpec> tools) {
        if (node == null || node.isNull()) {
            return ToolChoice.AUTO;
        }
        if (tools.isEmpty()) {
            throw GatewayException.validation("tool_choice may only be specified while providing tools.");
        }
        BedrockFields.onlyKnown(node, TOOL_CHOICE, "/tool_choice");
        JsonNode single = node.path("disable_parallel_tool_use");
        if (!single.isMissingNode() && !single.isBoolean()) {
            throw GatewayException.validation(
                    "tool_choice.disable_parallel_tool_use: " + single + " (expected: a boolean).");
        }
        return kind(node, tools).withSingleCall(single.asBoolean(false));
    }

    /** The choice's {@code type} (and tool {@code name}). */
    private static ToolChoice kind(JsonNode node, List<ToolSpec> tools) {
        return switch (node.path("type").asText()) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> new ToolChoice(ToolChoice.Mode.ANY, null);
            case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
            case "tool" -> {
                String name = BedrockFields.requiredString(node, "name", "tool_choice.");
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    throw GatewayException.validation("tool_choice.name: " + name + " is not a defined tool.");
                }
                yield new ToolChoice(ToolChoice.Mode.TOOL, name);
            }
            default -> throw GatewayException.validation("tool_choice.type: expected auto, any, tool or none.");
        };
    }

    @Override
    public ObjectNode render(ChatResponse response, String modelId, String requestId) {
        ObjectNode root = Json.object();
        root.put("id", messageId(requestId));
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", modelId);
        ArrayNode content = root.putArray("content");
        for (ContentBlock block : response.message().content()) {
            if (block instanceof ContentBlock.Text t) {
                content.addObject().put("type", "text").put("text", t.text());
            } else if (block instanceof ContentBlock.Reasoning r) {
                content.add(thinking(r));
            } else if (block instanceof ContentBlock.ToolUse u) {
                ObjectNode use = content.addObject()
                        .put("type", "tool_use")
                        .put("id", u.id())
                        .put("name", u.name());
                use.set("input", json(u.inputJson()));
            }
        }
        root.put("stop_reason", stopReason(response.stopReason()));
        root.put("stop_sequence", response.stopSequence()); // null unless a stop sequence (known) ended it
        ObjectNode usage = root.putObject("usage");
        usage.put("input_tokens", response.usage().inputTokens());
        usage.put("output_tokens", response.usage().outputTokens());
        return root;
    }

    @Override
    public StreamEncoder streamEncoder(String modelId, String requestId) {
        return new StreamEncoder() {
            private StopReason stop = StopReason.END_TURN;
            private String stopSequence;
            // text and thinking blocks start with their first delta: the indexes whose content_block_start went out
            private final Set<Integer> startedBlocks = new HashSet<>();

            @Override
            public List<ObjectNode> encode(ChatEvent event) {
                List<ObjectNode> chunks = new ArrayList<>();
                switch (event) {
                    case ChatEvent.MessageStart m -> {
                        ObjectNode c = chunk("message_start");
                        ObjectNode msg = c.putObject("message");
                        msg.put("id", messageId(requestId))
                                .put("type", "message")
                                .put("role", "assistant");
                        msg.put("model", modelId);
                        msg.putArray("content");
                        msg.putNull("stop_reason");
                        msg.putNull("stop_sequence");
                        msg.putObject("usage")
                                .put("input_tokens", m.inputTokens())
                                .put("output_tokens", 1);
                        chunks.add(c);
                    }
                    case ChatEvent.BlockStart b -> {
                        ObjectNode c = chunk("content_block_start").put("index", b.index());
                        c.putObject("content_block")
                                .put("type", "tool_use")
                                .put("id", b.toolUseId())
                                .put("name", b.toolName())
                                .putObject("input");
                        chunks.add(c);
                    }
                    case ChatEvent.TextDelta d -> {
                        if (startedBlocks.add(d.index())) {
                            ObjectNode c = chunk("content_block_start").put("index", d.index());
                            c.putObject("content_block").put("type", "text").put("text", "");
                            chunks.add(c);
                        }
                        ObjectNode c = chunk("content_block_delta").put("index", d.index());
                        c.putObject("delta").put("type", "text_delta").put("text", d.text());
                        chunks.add(c);
                    }
                    case ChatEvent.ReasoningDelta d -> {
                        if (d.redactedBase64() != null) {
                            ObjectNode c = chunk("content_block_start").put("index", d.index());
                            c.set("content_block", thinking(ContentBlock.Reasoning.redacted(d.redactedBase64())));
                            chunks.add(c);
                        } else {
                            if (startedBlocks.add(d.index())) {
                                ObjectNode c = chunk("content_block_start").put("index", d.index());
                                c.putObject("content_block")
                                        .put("type", "thinking")
                                        .put("thinking", "")
                                        .put("signature", "");
                                chunks.add(c);
                            }
                            ObjectNode c = chunk("content_block_delta").put("index", d.index());
                            if (d.text() != null) {
                                c.putObject("delta")
                                        .put("type", "thinking_delta")
                                        .put("thinking", d.text());
                            } else {
                                c.putObject("delta")
                                        .put("type", "signature_delta")
                                        .put("signature", d.signature());
                            }
                            chunks.add(c);
                        }
                    }
                    case ChatEvent.ToolInputDelta d -> {
                        ObjectNode c = chunk("content_block_delta").put("index", d.index());
                        c.putObject("delta").put("type", "input_json_delta").put("partial_json", d.json());
                        chunks.add(c);
                    }
                    case ChatEvent.BlockStop s ->
                        chunks.add(chunk("content_block_stop").put("index", s.index()));
                    case ChatEvent.MessageStop s -> {
                        stop = s.stopReason();
                        stopSequence = s.stopSequence();
                    }
                    case ChatEvent.Metadata m -> {
                        ObjectNode delta = chunk("message_delta");
                        delta.putObject("delta")
                                .put("stop_reason", stopReason(stop))
                                .put("stop_sequence", stopSequence);
                        delta.putObject("usage").put("output_tokens", m.usage().outputTokens());
                        chunks.add(delta);
                        chunks.add(chunk("message_stop"));
                    }
                }
                return chunks;
            }
        };
    }

    /** A reasoning block as Anthropic's {@code thinking} (with its signature) or {@code redacted_thinking}. */
    private static ObjectNode thinking(ContentBlock.Reasoning r) {
        if (r.redactedBase64() != null) {
            return Json.object().put("type", "redacted_thinking").put("data", r.redactedBase64());
        }
        return Json.object()
                .put("type", "thinking")
                .put("thinking", r.text())
                .put("signature", r.signature() == null ? "" : r.signature());
    }

    private static ObjectNode chunk(String type) {
        return Json.object().put("type", type);
    }

    private static String messageId(String requestId) {
        return "msg_bdrk_"
                + requestId
                        .replace("-", "")
                        .substring(0, Math.min(24, requestId.replace("-", "").length()));
    }

    static String stopReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, CONTENT_FILTERED -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
        };
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool input is not JSON", e);
        }
    }
}
