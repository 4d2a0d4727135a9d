package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates OpenAI's Responses API ({@code POST /v1/responses}) to and from the canonical model, stateless: the
 * caller sends the whole conversation in {@code input} ({@link ResponseInput}) and nothing is stored, so the
 * parameters that refer to stored state ({@code previous_response_id}, {@code conversation}, {@code prompt},
 * {@code background}) are refused, naming them, as are built-in tools: a request is served as asked or not at all.
 */
public final class ResponsesCodec {
    /** OpenAI's limit on the tools of one request. */
    private static final int MAX_TOOLS = 128;

    /** Parameters the API defines that need state or tools this gateway does not have. */
    private static final Set<String> REFUSED = Set.of(
            "previous_response_id",
            "conversation",
            "prompt",
            "background",
            "max_tool_calls",
            "context_management",
            "moderation",
            "prompt_cache_options");

    /** Every parameter of the Responses API's create request; anything else is refused as OpenAI refuses it. */
    private static final Set<String> PARAMETERS = Json.members(
            REFUSED,
            "model",
            "input",
            "instructions",
            "include",
            "max_output_tokens",
            "metadata",
            "parallel_tool_calls",
            "prompt_cache_key",
            "prompt_cache_retention",
            "reasoning",
            "safety_identifier",
            "service_tier",
            "store",
            "stream",
            "stream_options",
            "temperature",
            "text",
            "tool_choice",
            "tools",
            "top_logprobs",
            "top_p",
            "truncation",
            "user");

    /** OpenAI's limit on {@code top_logprobs}. */
    private static final int MAX_TOP_LOGPROBS = 20;

    /** The {@code include} that asks for each output token's log probability ({@code top_logprobs} alternatives). */
    private static final String LOGPROBS = "message.output_text.logprobs";

    /** The {@code include} that asks for reasoning items' {@code encrypted_content} (see {@link SealedThinking}). */
    private static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

    /** The summaries {@code reasoning.summary} may ask for. */
    private static final Set<String> SUMMARIES = Set.of("auto", "concise", "detailed");

    /** The {@code include} values taken. */
    private static final Set<String> INCLUDABLE = Set.of(LOGPROBS, ENCRYPTED_REASONING);

    private ResponsesCodec() {}

    /**
     * A parsed request.
     *
     * @param model the model or inference profile asked for
     * @param request the canonical request
     * @param stream whether the answer is streamed as server-sent events
     * @param root the request as sent, whose settings the answer repeats (as OpenAI's does)
     */
    public record Parsed(String model, ChatRequest request, boolean stream, JsonNode root) {
        /** {@code e}, with the output limit named as this API names it. */
        GatewayException inOwnTerms(GatewayException e) {
            return Gateway.MAX_TOKENS_PARAMETER.equals(e.parameter())
                    ? GatewayException.invalidParameter("max_output_tokens", e.getMessage())
                    : e;
        }

        /**
         * Whether reasoning items carry the thinking in {@code summary} too: the destination's thinking as it gave it
         * (Claude's is itself a summary), for clients that show summaries only.
         */
        boolean summarizesThinking() {
            return root.path("reasoning").path("summary").isTextual();
        }

        /** Whether reasoning items carry the thinking's signature or redacted thinking, to be sent back. */
        boolean sealsThinking() {
            for (JsonNode v : root.path("include")) {
                if (ENCRYPTED_REASONING.equals(v.textValue())) {
                    return true;
                }
            }
            return false;
        }
    }

    public static Parsed parse(byte[] body) {
        JsonNode root = ChatCompletionsCodec.read(body);
        String model = RequestFields.model(
                root,
                PARAMETERS,
                REFUSED,
                ResponsesCodec::asksForNothing,
                " (it stores no responses and offers function tools only)");
        typeUnusedMembers(root);
        List<String> system = new ArrayList<>();
        String instructions = RequestFields.string(root, "instructions", "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            system.add(instructions);
        }
        List<Message> messages = ResponseInput.of(root, system);
        List<ToolSpec> tools = tools(root);
        boolean parallel = RequestFields.bool(root, "parallel_tool_calls", "parallel_tool_calls", true);
        ChatRequest request = new ChatRequest(
                system,
                messages,
                params(root),
                ChatCompletionsCodec.metadata(root),
                tools,
                choice(root.get("tool_choice"), tools).withSingleCall(!parallel && !tools.isEmpty()),
                responseFormat(root));
        return new Parsed(model, request, RequestFields.bool(root, "stream", "stream", false), root);
    }

    /** Whether a refused parameter's value is its default, which asks for nothing: no background. */
    private static boolean asksForNothing(String field, JsonNode v) {
        return switch (field) {
            case "background" -> v.isBoolean() && !v.booleanValue();
            default -> false;
        };
    }

    /** Members typed as OpenAI types them and then not used: nothing downstream acts on them. */
    private static void typeUnusedMembers(JsonNode root) {
        RequestFields.typeUnused(
                root, "user", "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier");
        JsonNode options = RequestFields.object(root, "stream_options", "stream_options");
        if (options != null) {
            RequestFields.bool(options, "include_obfuscation", "stream_options.include_obfuscation", false);
        }
        String truncation = RequestFields.string(root, "truncation", "truncation");
        if (truncation != null && !truncation.equals("disabled")) {
            throw GatewayException.invalidParameter(
                    "truncation",
                    "truncation: '" + truncation + "' is not supported (this gateway drops no input; a conversation"
                            + " too long for the model is refused).");
        }
        JsonNode include = RequestFields.array(root, "include", "include");
        for (int i = 0; include != null && i < include.size(); i++) {
            JsonNode v = include.get(i);
            if (!v.isTextual() || !INCLUDABLE.contains(v.textValue())) {
                throw GatewayException.invalidParameter(
                        "include", "include[" + i + "]: " + v + " is not supported by this gateway.");
            }
        }
    }

    private static InferenceParams params(JsonNode root) {
        JsonNode reasoning = RequestFields.object(root, "reasoning", "reasoning");
        String effort = null;
        if (reasoning != null) {
            effort = RequestFields.string(reasoning, "effort", "reasoning.effort");
            String summary = RequestFields.string(reasoning, "summary", "reasoning.summary");
            if (summary != null && !SUMMARIES.contains(summary)) {
                throw GatewayException.invalidParameter(
                        "reasoning.summary",
                        "Invalid value: '" + summary + "'. Supported values are: 'auto', 'concise', and 'detailed'.");
            }
        }
        return new InferenceParams(
                        RequestFields.integer(root, "max_output_tokens", "max_output_tokens", 1),
                        RequestFields.decimal(root, "temperature", "temperature", 0, 2),
                        RequestFields.decimal(root, "top_p", "top_p", 0, 1),
                        List.of(),
                        null,
                        null,
                        null,
                        null,
                        logprobs(root),
                        Map.of())
                .withReasoning(ChatCompletionsCodec.reasoning(effort, "reasoning.effort"));
    }

    /**
     * The alternatives per token when the request includes {@value #LOGPROBS} ({@code top_logprobs}, 0 when not
     * given), else {@code null}: as with OpenAI, {@code top_logprobs} alone returns nothing.
     */
    private static Integer logprobs(JsonNode root) {
        Integer top = RequestFields.integer(root, "top_logprobs", "top_logprobs", 0, MAX_TOP_LOGPROBS);
        JsonNode include = root.path("include");
        for (JsonNode v : include) {
            if (LOGPROBS.equals(v.textValue())) {
                return top == null ? 0 : top;
            }
        }
        return null;
    }

    /** {@code text.format}: free text, or JSON (a schema's instance, or any object) as chat completions ask. */
    private static String responseFormat(JsonNode root) {
        JsonNode text = RequestFields.object(root, "text", "text");
        if (text == null) {
            return null;
        }
        RequestFields.string(text, "verbosity", "text.verbosity");
        JsonNode format = RequestFields.object(text, "format", "text.format");
        if (format == null) {
            return null;
        }
        String type = RequestFields.requiredString(format, "type", "text.format.type");
        switch (type) {
            case "text" -> {
                return null;
            }
            case "json_object" -> {
                return "{\"type\":\"json_object\"}";
            }
            case "json_schema" -> {
                ObjectNode schema = Json.object();
                schema.put("name", RequestFields.requiredString(format, "name", "text.format.name"));
                JsonNode body = RequestFields.object(format, "schema", "text.format.schema");
                if (body == null) {
                    throw RequestFields.missing("text.format.schema");
                }
                schema.set("schema", body);
                String description = RequestFields.string(format, "description", "text.format.description");
                if (description != null) {
                    schema.put("description", description);
                }
                if (format.hasNonNull("strict")) {
                    schema.put("strict", RequestFields.bool(format, "strict", "text.format.strict", false));
                }
                ObjectNode chatFormat = Json.object().put("type", "json_schema");
                chatFormat.set("json_schema", schema);
                return chatFormat.toString();
            }
            default ->
                throw GatewayException.invalidParameter(
                        "text.format.type",
                        "text.format.type: '" + type + "' (expected: text, json_object or json_schema).");
        }
    }

    /** Function tools ({@code {type: function, name, description, parameters, strict}}); built-in tools refused. */
    private static List<ToolSpec> tools(JsonNode root) {
        List<ToolSpec> out = new ArrayList<>();
        JsonNode list = RequestFields.array(root, "tools", "tools");
        if (list != null && list.size() > MAX_TOOLS) {
            throw RequestFields.tooLong("tools", MAX_TOOLS, list.size());
        }
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonNode t = list.get(i);
            String at = "tools[" + i + "]";
            String type = RequestFields.requiredString(t, "type", at + ".type");
            if (!type.equals("function")) {
                throw GatewayException.invalidParameter(
                        at + ".type",
                        at + ".type: '" + type + "' is not supported by this gateway (function tools only).");
            }
            String description = RequestFields.string(t, "description", at + ".description");
            JsonNode params = RequestFields.object(t, "parameters", at + ".parameters");
            RequestFields.bool(t, "strict", at + ".strict", true);
            out.add(new ToolSpec(
                    RequestFields.requiredString(t, "name", at + ".name"),
                    description == null ? "" : description,
                    params != null ? params.toString() : "{\"type\":\"object\"}"));
        }
        return out;
    }

    /** {@code tool_choice}: auto, none, required, or {@code {type: function, name}} naming one of the tools. */
    private static ToolChoice choice(JsonNode node, List<ToolSpec> tools) {
        if (node == null || node.isNull() || "auto".equals(node.asText(null))) {
            return ToolChoice.AUTO;
        }
        if ("none".equals(node.asText(null))) {
            return tools.isEmpty() ? ToolChoice.AUTO : new ToolChoice(ToolChoice.Mode.NONE, null);
        }
        if (node.isTextual() && !node.textValue().equals("required")) {
            throw GatewayException.invalidParameter(
                    "tool_choice",
                    "Invalid value: '" + node.textValue() + "'. Supported values are: 'none', 'auto', and 'required'.");
        }
        if (tools.isEmpty()) {
            throw GatewayException.invalidParameter(
                    "tool_choice", "Tool choice '" + node + "' asks for a tool call, but no tools are given.");
        }
        if (node.isTextual()) {
            return new ToolChoice(ToolChoice.Mode.ANY, null);
        }
        String type = node.path("type").asText("");
        String name = node.path("name").asText(null);
        if (!type.equals("function")
                || name == null
                || tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw GatewayException.invalidParameter(
                    "tool_choice", "tool_choice must be {type: function, name} naming a function in tools.");
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, name);
    }

    /** Ids of one answer's output items: the answer's own id under each item kind's prefix, numbered. */
    static final class ItemIds {
        private final String base;
        private int next;

        ItemIds(String responseId) {
            this.base = responseId.substring(responseId.indexOf('_') + 1);
        }

        String next(String prefix) {
            return prefix + "_" + base + "_" + next++;
        }
    }

    /** A whole answer as the Responses API gives it. */
    public static ObjectNode render(Parsed p, ChatResponse answer, String id, long createdAt) {
        ItemIds ids = new ItemIds(id);
        ArrayNode output = Json.MAPPER.createArrayNode();
        StringBuilder text = null;
        boolean seals = p.sealsThinking();
        for (ContentBlock block : answer.message().content()) {
            switch (block) {
                case ContentBlock.Reasoning r
                when r.text() != null || seals ->
                    output.add(reasoning(
                            ids.next("rs"), r.text(), seals ? SealedThinking.seal(r) : null, p.summarizesThinking()));
                case ContentBlock.Text t -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(t.text());
                }
                case ContentBlock.ToolUse u ->
                    output.add(functionCall(ids.next("fc"), u.id(), u.name(), u.inputJson(), "completed"));
                default -> {}
            }
        }
        if (text != null && (!text.isEmpty() || output.isEmpty())) { // no empty message beside function calls
            ObjectNode message = message(ids.next("msg"), text.toString(), status(answer.stopReason()));
            ((ObjectNode) message.get("content").get(0)).set("logprobs", logprobs(answer.logprobs()));
            output.insert(firstAfterReasoning(output), message);
        }
        return response(p, id, createdAt, status(answer.stopReason()), output, answer.usage(), answer.stopReason());
    }

    private static int firstAfterReasoning(ArrayNode output) {
        int i = 0;
        while (i < output.size() && output.get(i).path("type").asText().equals("reasoning")) {
            i++;
        }
        return i;
    }

    /** {@code completed}, or {@code incomplete} when generation stopped at the output limit or a filter. */
    static String status(StopReason reason) {
        return reason == StopReason.MAX_TOKENS || reason == StopReason.CONTENT_FILTERED ? "incomplete" : "completed";
    }

    /**
     * The response object: its status, output items and usage ({@code null} while in progress), and the request's
     * settings repeated as OpenAI repeats them.
     */
    static ObjectNode response(
            Parsed p, String id, long createdAt, String status, ArrayNode output, Usage usage, StopReason reason) {
        JsonNode root = p.root();
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        if (status.equals("incomplete")) {
            r.putObject("incomplete_details")
                    .put("reason", reason == StopReason.CONTENT_FILTERED ? "content_filter" : "max_output_tokens");
        } else {
            r.putNull("incomplete_details");
        }
        r.set("instructions", root.path("instructions").isTextual() ? root.get("instructions") : null);
        r.set("max_output_tokens", root.hasNonNull("max_output_tokens") ? root.get("max_output_tokens") : null);
        r.putNull("max_tool_calls");
        r.put("model", p.model());
        r.set("output", output);
        r.put("parallel_tool_calls", root.path("parallel_tool_calls").asBoolean(true));
        r.putNull("previous_response_id");
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set(
                "effort",
                root.path("reasoning").hasNonNull("effort")
                        ? root.get("reasoning").get("effort")
                        : null);
        reasoning.set(
                "summary",
                root.path("reasoning").path("summary").isTextual()
                        ? root.get("reasoning").get("summary")
                        : null);
        r.put("service_tier", "default");
        r.put("store", false);
        r.set("temperature", root.hasNonNull("temperature") ? root.get("temperature") : null);
        ObjectNode text = r.putObject("text");
        text.set(
                "format",
                root.path("text").path("format").isObject()
                        ? root.get("text").get("format")
                        : Json.object().put("type", "text"));
        r.set(
                "tool_choice",
                root.hasNonNull("tool_choice")
                        ? root.get("tool_choice")
                        : Json.MAPPER.getNodeFactory().textNode("auto"));
        r.set("tools", root.path("tools").isArray() ? root.get("tools") : Json.MAPPER.createArrayNode());
        r.set("top_p", root.hasNonNull("top_p") ? root.get("top_p") : null);
        r.put("truncation", "disabled");
        if (usage == null) {
            r.putNull("usage");
        } else {
            r.set("usage", usage(usage));
        }
        r.set("user", root.path("user").isTextual() ? root.get("user") : null);
        r.set("metadata", root.path("metadata").isObject() ? root.get("metadata") : Json.object());
        return r;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode u = Json.object();
        u.put("input_tokens", usage.inputTokens());
        u.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
        u.put("output_tokens", usage.outputTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    /** An assistant message item holding one {@code output_text} part. */
    static ObjectNode message(String id, String text, String status) {
        ObjectNode m = Json.object()
                .put("id", id)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        ArrayNode content = m.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return m;
    }

    /** Tokens with their log probabilities, bytes and alternatives, as chat completions give them. */
    static ArrayNode logprobs(List<TokenLogprob> tokens) {
        return (ArrayNode) ChatCompletionsCodec.logprobs(tokens).get("content");
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        return Json.object()
                .put("id", id)
                .put("type", "function_call")
                .put("status", status)
                .put("call_id", callId)
                .put("name", name)
                .put("arguments", arguments);
    }

    /**
     * A reasoning item: the model's thinking as {@code reasoning_text} (vLLM's shape) and, when {@code summarized},
     * as its {@code summary_text} too (OpenAI shows a summary), with what proves it in {@code encrypted_content} when
     * the request included it ({@code null} otherwise).
     */
    static ObjectNode reasoning(String id, String text, String encrypted, boolean summarized) {
        ObjectNode r = Json.object().put("id", id).put("type", "reasoning");
        ArrayNode summary = r.putArray("summary");
        if (text != null && summarized) {
            summary.add(summaryText(text));
        }
        ArrayNode content = r.putArray("content");
        if (text != null) {
            content.addObject().put("type", "reasoning_text").put("text", text);
        }
        r.put("encrypted_content", encrypted);
        return r;
    }

    static ObjectNode summaryText(String text) {
        return Json.object().put("type", "summary_text").put("text", text);
    }
}
