package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tool use in Converse: {@code toolConfig} ({@code tools[].toolSpec}, {@code toolChoice}), the {@code toolUse}
 * and {@code toolResult} content blocks, and Bedrock's rules tying them together.
 */
final class ConverseTools {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** Bedrock's tool-use ids also take '.' and ':' (OpenAI-compatible servers' ids such as {@code functions.f:0}). */
    private static final Pattern TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_.:-]{1,64}");

    private ConverseTools() {}

    static List<ToolSpec> tools(JsonNode toolConfig) {
        if (toolConfig == null || toolConfig.isNull()) {
            return List.of();
        }
        JsonNode tools = toolConfig.get("tools");
        if (!toolConfig.isObject() || tools == null || !tools.isArray() || tools.isEmpty()) {
            throw GatewayException.validation("toolConfig.tools must be a non-empty list.");
        }
        BedrockFields.onlyKnown(toolConfig, Set.of("tools", "toolChoice"), "/toolConfig");
        List<ToolSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (tool.has("cachePoint") && tool.size() == 1) {
                ConverseCodec.checkCachePoint(tool.get("cachePoint"), "toolConfig.tools[" + i + "].cachePoint");
                continue;
            }
            JsonNode spec = tool.get("toolSpec");
            String where = "toolConfig.tools[" + i + "]";
            if (spec == null || !spec.isObject()) {
                throw GatewayException.validation(where + " must be a toolSpec.");
            }
            String name = name(spec.get("name"), where + ".toolSpec.name");
            if (!names.add(name)) {
                throw GatewayException.validation(where + ".toolSpec.name: " + name + " is defined twice.");
            }
            JsonNode schema = spec.path("inputSchema").get("json");
            if (schema == null || !schema.isObject()) {
                throw GatewayException.validation(where + ".toolSpec.inputSchema.json must be a JSON object.");
            }
            String description = BedrockFields.string(spec, "description", where + ".toolSpec.");
            if (description != null && description.isEmpty()) { // Bedrock's minimum length is 1
                throw GatewayException.validation(
                        where + ".toolSpec.description: \"\" (expected: a non-empty string).");
            }
            specs.add(new ToolSpec(name, description == null ? "" : description, schema.toString()));
        }
        return specs;
    }

    static ToolChoice choice(JsonNode toolConfig, List<ToolSpec> tools) {
        JsonNode choice = toolConfig == null ? null : toolConfig.get("toolChoice");
        if (choice == null || choice.isNull()) {
            return ToolChoice.AUTO;
        }
        // a union: exactly one of auto, any, tool, each an object
        if (!choice.isObject()
                || choice.size() != 1
                || !choice.elements().next().isObject()) {
            throw GatewayException.validation(
                    "toolConfig.toolChoice must be exactly one of {auto: {}}, {any: {}}, {tool: {name}}.");
        }
        if (choice.has("auto")) {
            return ToolChoice.AUTO;
        }
        if (choice.has("any")) {
            return new ToolChoice(ToolChoice.Mode.ANY, null);
        }
        if (choice.has("tool")) {
            String name = name(choice.get("tool").get("name"), "toolConfig.toolChoice.tool.name");
            if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                throw GatewayException.validation(
                        "toolConfig.toolChoice.tool.name: " + name + " is not a defined tool.");
            }
            return new ToolChoice(ToolChoice.Mode.TOOL, name);
        }
        throw GatewayException.validation("toolConfig.toolChoice must be one of auto, any, tool.");
    }

    static ContentBlock toolUse(JsonNode node, String where) {
        if (!node.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        String id = matching(node.get("toolUseId"), TOOL_USE_ID, where + ".toolUseId");
        String name = name(node.get("name"), where + ".name");
        JsonNode input = node.get("input");
        if (input == null || !input.isObject()) {
            throw GatewayException.validation(where + ".input must be a JSON object.");
        }
        return new ContentBlock.ToolUse(id, name, input.toString());
    }

    static ContentBlock toolResult(JsonNode node, String where) {
        if (!node.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        String id = matching(node.get("toolUseId"), TOOL_USE_ID, where + ".toolUseId");
        JsonNode content = node.get("content");
        if (content == null || !content.isArray()) {
            throw GatewayException.validation(where + ".content must be a list.");
        }
        List<ContentBlock> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (part.path("text").isTextual() && part.size() == 1) {
                parts.add(new ContentBlock.Text(part.get("text").asText()));
            } else if (part.has("json") && part.size() == 1) {
                parts.add(new ContentBlock.Json(part.get("json").toString()));
            } else {
                throw GatewayException.validation(where + ".content[" + i + "]: only text and json tool results are "
                        + "supported by this gateway yet.");
            }
        }
        String status = node.path("status").asText("success");
        if (!status.equals("success") && !status.equals("error")) {
            throw GatewayException.validation(where + ".status: " + status + " (expected: success or error).");
        }
        return new ContentBlock.ToolResult(id, parts, status.equals("error"));
    }

    /**
     * Bedrock's pairing rules: tool blocks need a {@code toolConfig}, and every tool result answers a tool use
     * of the assistant message right before it.
     */
    static void checkPairing(List<Message> messages, boolean hasToolConfig) {
        for (int i = 0; i < messages.size(); i++) {
            for (ContentBlock block : messages.get(i).content()) {
                boolean toolBlock = block instanceof ContentBlock.ToolUse || block instanceof ContentBlock.ToolResult;
                if (toolBlock && !hasToolConfig) {
                    throw GatewayException.validation(
                            "The toolConfig field must be defined when using toolUse and toolResult content blocks.");
                }
                if (block instanceof ContentBlock.ToolResult r) {
                    boolean answered = i > 0
                            && messages.get(i - 1).content().stream()
                                    .anyMatch(b -> b instanceof ContentBlock.ToolUse u && u.id().equals(r.toolUseId()));
                    if (!answered) {
                        throw GatewayException.validation("messages[" + i + "]: the toolResult for " + r.toolUseId()
                                + " does not answer a toolUse of the previous assistant message.");
                    }
                }
            }
        }
    }

    static ObjectNode render(ContentBlock.ToolUse use) {
        ObjectNode node = Json.object();
        ObjectNode t = node.putObject("toolUse");
        t.put("toolUseId", use.id());
        t.put("name", use.name());
        try {
            t.set("input", Json.MAPPER.readTree(use.inputJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool input is not JSON", e);
        }
        return node;
    }

    private static String name(JsonNode node, String where) {
        return matching(node, NAME, where);
    }

    /** The text of {@code node} when it matches {@code rule}, which the refusal quotes. */
    private static String matching(JsonNode node, Pattern rule, String where) {
        if (node == null || !node.isTextual() || !rule.matcher(node.asText()).matches()) {
            String chars = rule.pattern().substring(0, rule.pattern().indexOf('{'));
            throw GatewayException.validation(where + ": " + node + " (expected: 1 to 64 of " + chars + ").");
        }
        return node.asText();
    }
}
