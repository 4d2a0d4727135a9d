package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates OpenAI chat completions ({@code POST /v1/chat/completions}) to and from the canonical model.
 * System and developer messages become system prompts, {@code tool} messages become tool results, assistant
 * {@code tool_calls} become tool uses. Parameters the canonical model cannot carry are refused, naming them.
 */
public final class ChatCompletionsCodec {
    private static final Set<String> REFUSED = Set.of(
            "logprobs",
            "top_logprobs",
            "audio",
            "modalities",
            "prediction",
            "functions",
            "function_call",
            "logit_bias");

    private ChatCompletionsCodec() {}

    /** The parsed request: canonical form plus the OpenAI-only options the surface needs. */
    public record Parsed(String model, ChatRequest request, boolean stream, boolean includeUsage) {}

    public static Parsed parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw GatewayException.validation("We could not parse the JSON body of your request.");
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.validation("The request body must be a JSON object.");
        }
        String model = RequestFields.string(root, "model", "model");
        if (model == null || model.isEmpty()) {
            throw GatewayException.invalidParameter("model", "you must provide a model parameter");
        }
        for (String field : REFUSED) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue())) {
                throw GatewayException.invalidParameter(
                        field, "The parameter '" + field + "' is not supported by this gateway.");
            }
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Double value = RequestFields.decimal(root, penalty, penalty);
            if (value != null && value != 0) {
                throw GatewayException.invalidParameter(
                        penalty, "The parameter '" + penalty + "' is not supported by this gateway.");
            }
        }
        Integer n = RequestFields.integer(root, "n", "n");
        if (n != null && n != 1) {
            throw GatewayException.invalidParameter("n", "Only n=1 is supported.");
        }
        String responseFormat = responseFormat(root.path("response_format"));
        List<String> system = new ArrayList<>();
        List<Message> messages = messages(root.get("messages"), system);
        List<ToolSpec> tools = tools(root);
        ChatRequest request = new ChatRequest(
                system,
                messages,
                params(root),
                Map.of(),
                tools,
                choice(root.get("tool_choice"), tools),
                responseFormat);
        boolean stream = RequestFields.bool(root, "stream", "stream", false);
        JsonNode streamOptions = RequestFields.object(root, "stream_options", "stream_options");
        boolean includeUsage = streamOptions != null
                && RequestFields.bool(streamOptions, "include_usage", "stream_options.include_usage", false);
        return new Parsed(model, request, stream, includeUsage);
    }

    /** {@code text} (or none) is free text; {@code json_object} and {@code json_schema} are passed to the upstream. */
    private static String responseFormat(JsonNode format) {
        if (format.isMissingNode()
                || format.isNull()
                || "text".equals(format.path("type").asText())) {
            return null;
        }
        String type = format.path("type").asText();
        if (!type.equals("json_object") && !type.equals("json_schema")) {
            throw GatewayException.validation(
                    "response_format.type: '" + type + "' (expected: text, json_object or json_schema).");
        }
        return format.toString();
    }

    private static InferenceParams params(JsonNode root) {
        Integer maxCompletion = RequestFields.integer(root, "max_completion_tokens", "max_completion_tokens");
        Integer max = maxCompletion != null ? maxCompletion : RequestFields.integer(root, "max_tokens", "max_tokens");
        if (max != null && max < 1) {
            throw GatewayException.invalidParameter("max_tokens", "max_tokens: " + max + " (expected: >= 1).");
        }
        Double temperature = RequestFields.decimal(root, "temperature", "temperature");
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw GatewayException.invalidParameter(
                    "temperature", "temperature: " + temperature + " (expected: 0..2).");
        }
        Double topP = RequestFields.decimal(root, "top_p", "top_p");
        if (topP != null && (topP < 0 || topP > 1)) {
            throw GatewayException.invalidParameter("top_p", "top_p: " + topP + " (expected: 0..1).");
        }
        List<String> stops = new ArrayList<>();
        JsonNode stop = root.get("stop");
        if (stop != null && stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw RequestFields.invalidType("stop[" + i + "]", "a string", stop.get(i));
                }
                stops.add(stop.get(i).textValue());
            }
        } else if (stop != null && !stop.isNull()) {
            throw RequestFields.invalidType("stop", "a string or an array of strings", stop);
        }
        if (stops.size() > 4) {
            throw GatewayException.invalidParameter("stop", "stop: at most 4 sequences.");
        }
        return new InferenceParams(max, temperature, topP, stops);
    }

    /** A tool message answers one tool call, which it must name (OpenAI refuses it otherwise). */
    private static String toolCallId(JsonNode message, int i) {
        String id = RequestFields.requiredString(message, "tool_call_id", "messages[" + i + "].tool_call_id");
        if (id.isEmpty()) {
            throw RequestFields.missing("messages[" + i + "].tool_call_id");
        }
        return id;
    }

    private static List<Message> messages(JsonNode node, List<String> system) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw GatewayException.invalidParameter("messages", "messages: a non-empty array is required.");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String role = m.path("role").asText();
            switch (role) {
                case "system", "developer" -> system.add(text(m.get("content"), i));
                case "user" -> userContent(m.get("content"), i).forEach(b -> append(out, Role.USER, b));
                case "assistant" -> {
                    List<ContentBlock> blocks = new ArrayList<>();
                    JsonNode content = m.get("content");
                    if (content != null && !content.isNull()) {
                        blocks.add(new ContentBlock.Text(text(content, i)));
                    }
                    JsonNode calls = RequestFields.array(m, "tool_calls", "messages[" + i + "].tool_calls");
                    for (int j = 0; calls != null && j < calls.size(); j++) {
                        String where = "messages[" + i + "].tool_calls[" + j + "]";
                        JsonNode call = calls.get(j);
                        String type = RequestFields.string(call, "type", where + ".type");
                        if (type != null && !type.equals("function")) {
                            throw GatewayException.validation(where + ".type: '" + type + "' (expected: function).");
                        }
                        JsonNode function = RequestFields.object(call, "function", where + ".function");
                        if (function == null) {
                            throw RequestFields.missing(where + ".function");
                        }
                        String arguments = RequestFields.string(function, "arguments", where + ".function.arguments");
                        blocks.add(new ContentBlock.ToolUse(
                                RequestFields.requiredString(call, "id", where + ".id"),
                                RequestFields.requiredString(function, "name", where + ".function.name"),
                                arguments(arguments == null ? "{}" : arguments, i)));
                    }
                    if (blocks.isEmpty()) {
                        throw GatewayException.validation(
                                "messages[" + i + "]: an assistant message needs content or tool_calls.");
                    }
                    blocks.forEach(b -> append(out, Role.ASSISTANT, b));
                }
                case "tool" ->
                    append(
                            out,
                            Role.USER,
                            new ContentBlock.ToolResult(
                                    toolCallId(m, i),
                                    List.of(new ContentBlock.Text(text(m.get("content"), i))),
                                    false));
                default ->
                    throw GatewayException.validation("messages[" + i + "].role: '" + role
                            + "' (expected: system, developer, user, assistant or tool).");
            }
        }
        if (out.isEmpty() || out.get(0).role() != Role.USER) {
            throw GatewayException.validation("messages: the conversation must start with a user message.");
        }
        return out;
    }

    /** Consecutive messages of one role merge into one canonical message (tool results follow their tool call). */
    private static void append(List<Message> out, Role role, ContentBlock block) {
        if (!out.isEmpty() && out.get(out.size() - 1).role() == role) {
            Message last = out.remove(out.size() - 1);
            List<ContentBlock> merged = new ArrayList<>(last.content());
            merged.add(block);
            out.add(new Message(role, merged));
        } else {
            out.add(new Message(role, List.of(block)));
        }
    }

    /** A user message's text and {@code image_url} parts (data URLs only: the gateway fetches nothing). */
    private static List<ContentBlock> userContent(JsonNode content, int i) {
        if (content == null || !content.isArray()) {
            return List.of(new ContentBlock.Text(text(content, i)));
        }
        List<ContentBlock> blocks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String where = "messages[" + i + "].content[" + j + "]";
            String type = part.path("type").asText();
            if (type.equals("text")) {
                text.append(RequestFields.requiredString(part, "text", where + ".text"));
            } else if (type.equals("image_url")) {
                if (!text.isEmpty()) {
                    blocks.add(new ContentBlock.Text(text.toString()));
                    text.setLength(0);
                }
                JsonNode image = RequestFields.object(part, "image_url", where + ".image_url");
                if (image == null) {
                    throw RequestFields.missing(where + ".image_url");
                }
                blocks.add(dataUrlImage(RequestFields.requiredString(image, "url", where + ".image_url.url"), i));
            } else {
                throw GatewayException.validation(
                        "messages[" + i + "].content: part type '" + type + "' is not supported by this gateway yet.");
            }
        }
        if (!text.isEmpty() || blocks.isEmpty()) {
            blocks.add(new ContentBlock.Text(text.toString()));
        }
        return blocks;
    }

    private static ContentBlock dataUrlImage(String url, int i) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "data:image/([a-z]+);base64,(.*)", java.util.regex.Pattern.DOTALL)
                .matcher(url);
        if (!m.matches()) {
            throw GatewayException.validation("messages[" + i + "].content: image_url must be a data URL "
                    + "(data:image/png;base64,...); the gateway does not fetch remote images.");
        }
        try {
            return dev.meridian.core.chat.Images.of(m.group(1), m.group(2));
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation("messages[" + i + "].content: " + e.getMessage() + ".");
        }
    }

    private static String text(JsonNode content, int i) {
        if (content == null || content.isNull()) {
            throw GatewayException.validation("messages[" + i + "].content is required.");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                if (!"text".equals(part.path("type").asText())) {
                    throw GatewayException.validation("messages[" + i + "].content: part type '"
                            + part.path("type").asText() + "' is not supported by this gateway yet.");
                }
                sb.append(RequestFields.requiredString(part, "text", "messages[" + i + "].content[" + j + "].text"));
            }
            return sb.toString();
        }
        throw GatewayException.validation("messages[" + i + "].content must be a string or an array of parts.");
    }

    private static String arguments(String json, int i) {
        try {
            JsonNode args = Json.MAPPER.readTree(json);
            if (args == null || !args.isObject()) {
                throw GatewayException.validation("messages[" + i + "].tool_calls: arguments must be a JSON object.");
            }
            return args.toString();
        } catch (JsonProcessingException e) {
            throw GatewayException.validation("messages[" + i + "].tool_calls: arguments are not valid JSON.");
        }
    }

    private static List<ToolSpec> tools(JsonNode root) {
        List<ToolSpec> out = new ArrayList<>();
        JsonNode list = RequestFields.array(root, "tools", "tools");
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonNode t = list.get(i);
            JsonNode f = t.path("function");
            if (!"function".equals(t.path("type").asText()) || !f.path("name").isTextual()) {
                throw GatewayException.validation(
                        "tools: each tool must be {type: function, function: {name, parameters}}.");
            }
            String description = RequestFields.string(f, "description", "tools[" + i + "].function.description");
            JsonNode params = RequestFields.object(f, "parameters", "tools[" + i + "].function.parameters");
            out.add(new ToolSpec(
                    f.get("name").asText(),
                    description == null ? "" : description,
                    params != null ? params.toString() : "{\"type\":\"object\"}"));
        }
        return out;
    }

    private static ToolChoice choice(JsonNode node, List<ToolSpec> tools) {
        if (node == null || node.isNull() || "auto".equals(node.asText(null))) {
            return ToolChoice.AUTO;
        }
        if ("required".equals(node.asText(null))) {
            return new ToolChoice(ToolChoice.Mode.ANY, null);
        }
        if ("none".equals(node.asText(null))) {
            throw GatewayException.validation("tool_choice 'none' is not supported; omit the tools instead.");
        }
        String name = node.path("function").path("name").asText(null);
        if (name == null || tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw GatewayException.validation("tool_choice names a function that is not in tools.");
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, name);
    }

    public static ObjectNode render(ChatResponse response, String id, String model, long created) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (ContentBlock block : response.message().content()) {
            if (block instanceof ContentBlock.Text t) {
                text.append(t.text());
            } else if (block instanceof ContentBlock.ToolUse u) {
                if (calls == null) {
                    calls = message.putArray("tool_calls");
                }
                ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
                call.putObject("function").put("name", u.name()).put("arguments", u.inputJson());
            }
        }
        message.put("content", text.toString());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.stopReason()));
        root.set("usage", usage(response.usage()));
        return root;
    }

    static ObjectNode usage(dev.meridian.core.chat.Usage usage) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", usage.inputTokens());
        u.put("completion_tokens", usage.outputTokens());
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    static String finishReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTERED -> "content_filter";
        };
    }
}
