package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.Images;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates Bedrock Converse JSON (bedrock-runtime 2023-09-30, {@code ConverseRequest}/{@code ConverseResponse})
 * to and from the canonical model. Fields Meridian cannot carry yet are refused with a ValidationException
 * naming them, never dropped silently; a member Converse does not define is refused too (an SDK sends only the
 * members its caller set, so an unknown one is a misspelling or a newer option this gateway cannot honour yet).
 */
final class ConverseCodec {
    /** Known Converse fields that this version cannot honour. */
    private static final Set<String> UNSUPPORTED_FIELDS = Set.of("guardrailConfig", "promptVariables");

    /**
     * Every member of a Converse body (the model id is in the path), {@link #UNSUPPORTED_FIELDS} included; anything
     * else is refused, not ignored.
     */
    private static final Set<String> FIELDS = Json.members(
            UNSUPPORTED_FIELDS,
            "messages",
            "system",
            "inferenceConfig",
            "toolConfig",
            "requestMetadata",
            "performanceConfig",
            "serviceTier",
            "outputConfig",
            "additionalModelRequestFields",
            "additionalModelResponseFieldPaths");

    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");

    /** Bedrock's limit on images in one message. */
    private static final int MAX_IMAGES_PER_MESSAGE = 20;

    private static final Set<String> DOCUMENT_FIELDS = Set.of("format", "name", "source", "context", "citations");

    private static final Set<String> INFERENCE_FIELDS = Set.of("maxTokens", "temperature", "topP", "stopSequences");

    /** Bedrock's model allows 2,500 (a model may take fewer, and its destination refuses more). */
    private static final int MAX_STOP_SEQUENCES = 2500;

    private static final int MAX_METADATA_ENTRIES = 16;

    private ConverseCodec() {}

    static ChatRequest parse(byte[] body) {
        return parse(readObject(body));
    }

    /** Parses a JSON object body, or fails with Bedrock's "Malformed input request" ValidationException. */
    static JsonNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = Json.readRequest(body);
        } catch (JacksonException e) {
            throw GatewayException.validation("Malformed input request: the body is not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("parse error") + ").");
        } catch (java.io.IOException e) {
            throw GatewayException.validation("Malformed input request: the body cannot be read.");
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.validation("Malformed input request: expected a JSON object.");
        }
        return root;
    }

    /** Parses a Converse-shaped request (also the shape of Amazon Nova's native {@code messages-v1} body). */
    static ChatRequest parse(JsonNode root) {
        BedrockFields.onlyKnown(root, FIELDS, "");
        for (String field : UNSUPPORTED_FIELDS) {
            if (root.hasNonNull(field)) {
                throw GatewayException.validation("The field '" + field + "' is not supported by this gateway yet.");
            }
        }
        InvocationOptions.checkConverse(root);
        List<Message> messages = messages(root.get("messages"));
        JsonNode toolConfig = root.get("toolConfig");
        List<ToolSpec> tools = ConverseTools.tools(toolConfig);
        ConverseTools.checkPairing(messages, !tools.isEmpty());
        return new ChatRequest(
                system(root.get("system")),
                messages,
                params(root.get("inferenceConfig"), BedrockFields.object(root, "additionalModelRequestFields", "")),
                metadata(root.get("requestMetadata")),
                tools,
                ConverseTools.choice(toolConfig, tools),
                responseFormat(root));
    }

    /**
     * {@code outputConfig.textFormat} (structured output: a JSON schema, given as a string) as the canonical
     * response format, which every destination honours or refuses: the simulator answers an instance of the schema,
     * OpenAI-compatible upstreams get it as a strict {@code json_schema} response format, Bedrock upstreams as this
     * same member. {@code null} when absent.
     */
    private static String responseFormat(JsonNode root) {
        JsonNode outputConfig = BedrockFields.object(root, "outputConfig", "");
        JsonNode format =
                outputConfig == null ? null : BedrockFields.object(outputConfig, "textFormat", "outputConfig.");
        if (format == null) {
            return null;
        }
        String type = BedrockFields.requiredString(format, "type", "outputConfig.textFormat.");
        if (!type.equals("json_schema")) {
            throw BedrockFields.notInSet("'" + type + "'", "outputConfig.textFormat.type", List.of("json_schema"));
        }
        JsonNode structure = BedrockFields.object(format, "structure", "outputConfig.textFormat.");
        JsonNode definition = structure == null
                ? null
                : BedrockFields.object(structure, "jsonSchema", "outputConfig.textFormat.structure.");
        if (definition == null) {
            throw GatewayException.validation("outputConfig.textFormat.structure.jsonSchema is required.");
        }
        String where = "outputConfig.textFormat.structure.jsonSchema.";
        String schemaText = BedrockFields.requiredString(definition, "schema", where);
        JsonNode schema;
        try {
            schema = Json.readRequest(schemaText);
        } catch (IOException e) { // Jackson's parse errors included
            schema = null;
        }
        if (schema == null || !schema.isObject()) {
            throw GatewayException.validation(where + "schema must be a JSON schema: a JSON object, as a string.");
        }
        String name = BedrockFields.string(definition, "name", where);
        String description = BedrockFields.string(definition, "description", where);
        ObjectNode jsonSchema = Json.object().put("name", name == null ? "response" : name);
        if (description != null) {
            jsonSchema.put("description", description);
        }
        jsonSchema.set("schema", schema);
        jsonSchema.put("strict", true);
        ObjectNode openAiStyle = Json.object().put("type", "json_schema");
        openAiStyle.set("json_schema", jsonSchema);
        return openAiStyle.toString();
    }

    private static List<Message> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw GatewayException.validation("The field 'messages' is required.");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw GatewayException.validation("The field 'messages' must be a non-empty list of messages.");
        }
        List<Message> messages = new ArrayList<>(node.size());
        Role previous = null;
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String path = "messages[" + i + "]";
            if (!m.isObject()) {
                throw GatewayException.validation(path + " must be an object with 'role' and 'content'.");
            }
            BedrockFields.onlyKnown(m, MESSAGE_FIELDS, "/messages/" + i);
            Role role = role(m.get("role"), path);
            if (i == 0 && role != Role.USER) {
                throw GatewayException.validation("A conversation must start with a user message. Try again with a "
                        + "conversation that starts with a user message.");
            }
            if (role == previous) {
                throw GatewayException.validation("A conversation must alternate between user and assistant roles; "
                        + path + " repeats role '" + m.get("role").asText() + "'.");
            }
            previous = role;
            List<ContentBlock> content = content(m.get("content"), path);
            checkAttachments(content, role, path);
            messages.add(new Message(role, content));
        }
        try {
            Documents.checkCount(messages);
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(e.getMessage());
        }
        return messages;
    }

    /**
     * Bedrock's rules for a message's images and documents: only in user messages, at most
     * {@value #MAX_IMAGES_PER_MESSAGE} images, and a document only next to a text block (the question about it).
     */
    private static void checkAttachments(List<ContentBlock> content, Role role, String path) {
        boolean document = false;
        boolean text = false;
        int images = 0;
        for (ContentBlock b : content) { // loops, not a stream: this runs on every message
            boolean attachment = b instanceof ContentBlock.Document || b instanceof ContentBlock.Image;
            if (attachment && role == Role.ASSISTANT) {
                throw GatewayException.validation(path + ": images and documents can only be sent in user messages.");
            }
            if (b instanceof ContentBlock.Reasoning && role == Role.USER) {
                throw GatewayException.validation(path + ": reasoningContent can only be sent in assistant messages.");
            }
            document |= b instanceof ContentBlock.Document;
            text |= b instanceof ContentBlock.Text;
            images += b instanceof ContentBlock.Image ? 1 : 0;
        }
        if (images > MAX_IMAGES_PER_MESSAGE) {
            throw GatewayException.validation(path + ": a message can carry at most " + MAX_IMAGES_PER_MESSAGE
                    + " images; this one has " + images + ".");
        }
        if (document && !text) {
            throw GatewayException.validation(
                    path + ": a message with a document must also have a text block (what to do with it).");
        }
    }

    private static Role role(JsonNode node, String path) {
        String role = node == null || !node.isTextual() ? null : node.asText();
        if ("user".equals(role)) {
            return Role.USER;
        }
        if ("assistant".equals(role)) {
            return Role.ASSISTANT;
        }
        throw GatewayException.validation(
                path + ".role: " + (node == null ? "missing" : node.toString()) + " (expected: user or assistant).");
    }

    private static List<ContentBlock> content(JsonNode node, String path) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw GatewayException.validation(path + ".content must be a non-empty list of content blocks.");
        }
        List<ContentBlock> blocks = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode block = node.get(i);
            String where = path + ".content[" + i + "]";
            if (!block.isObject() || block.size() != 1) {
                throw GatewayException.validation(where + " must set exactly one member (e.g. 'text').");
            }
            String type = block.fieldNames().next();
            switch (type) {
                case "text" -> {
                    JsonNode text = block.get("text");
                    if (!text.isTextual()) {
                        throw GatewayException.validation(where + ".text must be a string.");
                    }
                    if (text.textValue().isBlank()) { // Bedrock's own check and wording, with its dotted path
                        throw GatewayException.validation("The text field in the ContentBlock object at "
                                + where.replace('[', '.').replace("]", "") + " is blank. Add text to the text field,"
                                + " and try again.");
                    }
                    blocks.add(new ContentBlock.Text(text.asText()));
                }
                case "toolUse" -> blocks.add(ConverseTools.toolUse(block.get(type), where + ".toolUse"));
                case "toolResult" -> blocks.add(ConverseTools.toolResult(block.get(type), where + ".toolResult"));
                case "image" -> blocks.add(image(block.get(type), where + ".image"));
                case "document" -> blocks.add(document(block.get(type), where + ".document"));
                case "reasoningContent" ->
                    blocks.add(ConverseReasoning.block(block.get(type), where + ".reasoningContent"));
                case "cachePoint" ->
                    // a prompt-cache hint: meaningful only to providers with prompt caching
                    checkCachePoint(block.get(type), where + ".cachePoint");
                default ->
                    throw GatewayException.validation(
                            where + ": content block type '" + type + "' is not supported by this gateway yet.");
            }
        }
        return blocks;
    }

    private static ContentBlock image(JsonNode image, String where) {
        JsonNode bytes = image.path("source").path("bytes");
        if (!bytes.isTextual()) {
            throw GatewayException.validation(where + ".source: only bytes are supported (not s3Location).");
        }
        try {
            return Images.of(image.path("format").asText(null), bytes.asText());
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(where + ": " + e.getMessage() + ".");
        }
    }

    /** Converse's DocumentBlock, given as bytes; citations (enabled) and context change the answer: refused. */
    private static ContentBlock document(JsonNode document, String where) {
        if (!document.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        BedrockFields.onlyKnown(
                document,
                DOCUMENT_FIELDS,
                "/" + where.replace('[', '/').replace("]", "").replace('.', '/'));
        if (document.path("citations").path("enabled").asBoolean(false)) {
            throw GatewayException.validation(where + ".citations is not supported by this gateway yet.");
        }
        if (document.hasNonNull("context")) {
            throw GatewayException.validation(where + ".context is not supported by this gateway yet.");
        }
        JsonNode source = document.path("source");
        JsonNode bytes = source.path("bytes");
        if (!bytes.isTextual()) {
            throw GatewayException.validation(
                    where + ".source: only bytes are supported (not s3Location, text or content).");
        }
        try {
            return Documents.of(
                    BedrockFields.string(document, "format", where + "."),
                    BedrockFields.string(document, "name", where + "."),
                    bytes.textValue());
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(where + ": " + e.getMessage() + ".");
        }
    }

    private static final Set<String> CACHE_POINT_MEMBERS = Set.of("type", "ttl");
    private static final List<String> CACHE_TTLS = List.of("5m", "1h");

    /**
     * A cache point as Bedrock takes it, {@code {"type": "default"}} with an optional {@code ttl} of 5m or 1h: accepted
     * and not used (prompt caching is the destination's), but not accepted malformed.
     */
    static void checkCachePoint(JsonNode point, String where) {
        if (point == null || !point.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        BedrockFields.onlyKnown(
                point,
                CACHE_POINT_MEMBERS,
                "/" + where.replace("]", "").replace('[', '/').replace('.', '/'));
        String type =
                point.path("type").isTextual() ? point.get("type").textValue() : String.valueOf(point.get("type"));
        if (!type.equals("default")) {
            throw BedrockFields.notInSet(type, where + ".type", List.of("default"));
        }
        JsonNode ttl = point.get("ttl");
        if (ttl != null && !(ttl.isTextual() && CACHE_TTLS.contains(ttl.textValue()))) {
            throw BedrockFields.notInSet(
                    ttl.isTextual() ? ttl.textValue() : ttl.toString(), where + ".ttl", CACHE_TTLS);
        }
    }

    private static List<String> system(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw GatewayException.validation("The field 'system' must be a list of system content blocks.");
        }
        List<String> system = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode block = node.get(i);
            if (block.isObject() && block.size() == 1 && block.has("cachePoint")) {
                checkCachePoint(block.get("cachePoint"), "system[" + i + "].cachePoint");
                continue; // a prompt-cache hint: meaningful only to providers with prompt caching
            }
            if (!block.isObject() || block.size() != 1 || !block.path("text").isTextual()) {
                throw GatewayException.validation("system[" + i + "]: only text system blocks are supported.");
            }
            if (block.get("text").textValue().isEmpty()) { // Bedrock's minimum length is 1
                throw GatewayException.validation("The text field in the SystemContentBlock object at system." + i
                        + " is empty. Add text to the text field, and try again.");
            }
            system.add(block.get("text").asText());
        }
        return system;
    }

    /**
     * The sampling parameters, with what {@code additionalModelRequestFields} adds that this gateway passes on to
     * every destination: a top-k limit ({@code top_k}, Anthropic's and Mistral's; {@code inferenceConfig.topK},
     * Amazon Nova's) and thinking ({@code thinking}, Anthropic's; {@code reasoningConfig}, Nova's). Any other
     * model-specific field is refused naming it: this gateway could not pass it on to every destination.
     */
    private static InferenceParams params(JsonNode inferenceConfig, JsonNode fields) {
        Integer topK = null;
        Reasoning reasoning = null;
        for (Map.Entry<String, JsonNode> field :
                fields == null ? Set.<Map.Entry<String, JsonNode>>of() : fields.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("top_k")) {
                topK = BedrockFields.integerAtLeast(value, 0, "additionalModelRequestFields.top_k");
            } else if (name.equals("inferenceConfig") && value.isObject() && value.size() == 1 && value.has("topK")) {
                topK = BedrockFields.integerAtLeast(
                        value.get("topK"), 1, "additionalModelRequestFields.inferenceConfig.topK");
            } else if (name.equals("thinking") && !fields.has("reasoningConfig")) {
                reasoning = ConverseReasoning.thinking(value, "additionalModelRequestFields.thinking");
            } else if (name.equals("reasoningConfig") && !fields.has("thinking")) {
                reasoning = ConverseReasoning.reasoningConfig(value);
            } else if (name.equals("thinking") || name.equals("reasoningConfig")) {
                throw GatewayException.validation("additionalModelRequestFields: thinking and reasoningConfig ask"
                        + " for the same thing; set one of them.");
            } else {
                throw GatewayException.validation("additionalModelRequestFields." + name + " is not supported by this"
                        + " gateway yet (it passes on top_k, or inferenceConfig.topK for Amazon Nova, and thinking,"
                        + " or reasoningConfig for Amazon Nova).");
            }
        }
        InferenceParams params = params(inferenceConfig, topK);
        ConverseReasoning.checkBudget(
                reasoning,
                params.maxTokens(),
                "additionalModelRequestFields.thinking.budget_tokens",
                "inferenceConfig.maxTokens");
        return reasoning == null ? params : params.withReasoning(reasoning);
    }

    private static InferenceParams params(JsonNode node, Integer topK) {
        if (node == null || node.isNull()) {
            return topK == null ? InferenceParams.DEFAULTS : new InferenceParams(null, null, null, List.of(), topK);
        }
        if (!node.isObject()) {
            throw GatewayException.validation("The field 'inferenceConfig' must be an object.");
        }
        BedrockFields.onlyKnown(node, INFERENCE_FIELDS, "/inferenceConfig");
        Integer maxTokens = null;
        if (node.hasNonNull("maxTokens")) {
            maxTokens = BedrockFields.integerAtLeast(node.get("maxTokens"), 1, "inferenceConfig.maxTokens");
        }
        Double temperature = unitInterval(node, "temperature");
        Double topP = unitInterval(node, "topP");
        List<String> stops = new ArrayList<>();
        JsonNode s = node.get("stopSequences");
        if (s != null && !s.isNull()) {
            if (!s.isArray()) {
                throw GatewayException.validation("inferenceConfig.stopSequences must be a list of strings.");
            }
            if (s.size() > MAX_STOP_SEQUENCES) { // Bedrock's wording, the value left out as for requestMetadata
                throw GatewayException.validation(
                        "1 validation error detected: Value at 'inferenceConfig.stopSequences'"
                                + " failed to satisfy constraint: Member must have length less than or equal to "
                                + MAX_STOP_SEQUENCES);
            }
            for (JsonNode stop : s) {
                if (!stop.isTextual() || stop.asText().isEmpty()) {
                    throw GatewayException.validation(
                            "inferenceConfig.stopSequences: " + stop + " (expected: a non-empty string).");
                }
                stops.add(stop.asText());
            }
        }
        return new InferenceParams(maxTokens, temperature, topP, stops, topK);
    }

    private static Double unitInterval(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
            throw GatewayException.validation("inferenceConfig." + field + ": " + v + " (expected: a number in 0..1).");
        }
        return v.doubleValue();
    }

    /**
     * Bedrock's rule for {@code requestMetadata} keys and values (they end up in the invocation log, where records are
     * filtered by them): up to 256 of these characters, a key at least one.
     */
    private static final Pattern METADATA_KEY = Pattern.compile("[a-zA-Z0-9\\s:_@$#=/+,\\-.]{1,256}");

    private static final Pattern METADATA_VALUE = Pattern.compile("[a-zA-Z0-9\\s:_@$#=/+,\\-.]{0,256}");

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.isEmpty() || node.size() > MAX_METADATA_ENTRIES) {
            throw GatewayException.validation("requestMetadata must be an object of 1 to " + MAX_METADATA_ENTRIES
                    + " string entries."); // Bedrock's map has at least one entry, too
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw GatewayException.validation("requestMetadata." + e.getKey() + " must be a string.");
            }
            if (!METADATA_KEY.matcher(e.getKey()).matches()) {
                throw metadataConstraint("Map keys", 1);
            }
            if (!METADATA_VALUE.matcher(e.getValue().textValue()).matches()) {
                throw metadataConstraint("Map value", 0);
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** Bedrock's wording for a {@code requestMetadata} key or value outside its length or characters. */
    private static GatewayException metadataConstraint(String what, int min) {
        return GatewayException.validation("1 validation error detected: Value at 'requestMetadata' failed to satisfy"
                + " constraint: " + what + " must satisfy constraint: [Member must have length less than or equal to"
                + " 256, Member must have length greater than or equal to " + min + ", Member must satisfy regular"
                + " expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{" + min + ",256}]");
    }

    static byte[] render(ChatResponse response, long latencyMs, InvocationOptions.Served served) {
        ObjectNode root = renderAnswer(response);
        root.putObject("metrics").put("latencyMs", latencyMs);
        served.addTo(root);
        served.addResponseFields(root, response.stopSequence());
        return Json.bytes(root);
    }

    /** {@code output}, {@code stopReason} and {@code usage}: shared by Converse and Nova's native response. */
    static ObjectNode renderAnswer(ChatResponse response) {
        ObjectNode root = Json.object();
        ObjectNode message = root.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        for (ContentBlock block : response.message().content()) {
            if (block instanceof ContentBlock.Text t) {
                content.addObject().put("text", t.text());
            } else if (block instanceof ContentBlock.Reasoning r) {
                content.add(ConverseReasoning.render(r));
            } else if (block instanceof ContentBlock.ToolUse u) {
                content.add(ConverseTools.render(u));
            }
        }
        root.put("stopReason", stopReason(response.stopReason()));
        ObjectNode usage = root.putObject("usage");
        usage.put("inputTokens", response.usage().inputTokens());
        usage.put("outputTokens", response.usage().outputTokens());
        usage.put("totalTokens", response.usage().totalTokens());
        return root;
    }

    static String stopReason(StopReason reason) {
        return switch (reason) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
            case CONTENT_FILTERED -> "content_filtered";
        };
    }
}
