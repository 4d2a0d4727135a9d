package dev.meridian.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * What the simulated model answers for an OpenAI {@code json_schema} response format: an instance of the schema,
 * as a constrained decoder produces one. Applications test structured outputs against the embedded default (the
 * OpenAI SDKs' {@code parse} validates the answer against the caller's class), so an answer that ignored the
 * schema would fail there although a real model would not.
 *
 * <p>Covers what structured-output schemas use: objects (every property, as strict mode requires them all), arrays
 * ({@code minItems}, {@code maxItems}), strings ({@code enum}, {@code const}, common {@code format}s, length
 * bounds), numbers and integers within their bounds, booleans, nulls, {@code anyOf}/{@code oneOf} (the first
 * alternative that is not null), {@code allOf} (the first part) and local {@code $ref}s into {@code $defs} or
 * {@code definitions}, recursion cut at a fixed depth. {@code pattern} is not followed. Deterministic: the same
 * schema and seed give the same instance.
 */
final class SchemaInstance {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;
    private static final String[] WORDS = {"region", "gateway", "audit", "profile", "latency", "capacity", "answer"};

    private final JsonNode root;
    private long state;

    private SchemaInstance(JsonNode root, long seed) {
        this.root = root;
        this.state = seed;
    }

    /**
     * The JSON text answering {@code responseFormat} (OpenAI's {@code response_format} object as JSON text), or
     * {@code null} when it carries no usable schema ({@code json_object}, or a schema that is not an object).
     */
    static String answer(String responseFormat, long seed) {
        JsonNode schema = read(responseFormat).path("json_schema").path("schema");
        return schema.isObject()
                ? new SchemaInstance(schema, seed).instance(schema, 0).toString()
                : null;
    }

    /**
     * The arguments of a call to a tool whose parameters are {@code inputSchemaJson}: an instance of the schema,
     * as a model with strict function calling writes them. A schema that names no properties and does not forbid
     * others gets {@code {"prompt": <the user's text>}}, which it allows, so a tool without parameters still sees
     * what was asked.
     */
    static String toolInput(String inputSchemaJson, long seed, String userText) {
        JsonNode schema = read(inputSchemaJson);
        boolean open = !schema.has("properties")
                && schema.path("additionalProperties").asBoolean(true)
                && !schema.has("$ref")
                && !schema.has("anyOf");
        if (!schema.isObject() || open) {
            return NODES.objectNode().put("prompt", userText).toString();
        }
        return new SchemaInstance(schema, seed).instance(schema, 0).toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.missingNode();
        }
    }

    private JsonNode instance(JsonNode schema, int depth) {
        JsonNode s = resolve(schema);
        if (depth > MAX_DEPTH || s == null || !s.isObject()) {
            return NODES.nullNode();
        }
        if (s.has("const")) {
            return s.get("const");
        }
        JsonNode choices = s.path("enum");
        if (choices.isArray() && !choices.isEmpty()) {
            return choices.get((int) Long.remainderUnsigned(next(), choices.size()));
        }
        for (String combinator : new String[] {"anyOf", "oneOf"}) {
            JsonNode alternatives = s.path(combinator);
            if (alternatives.isArray() && !alternatives.isEmpty()) {
                return instance(firstNotNull(alternatives), depth + 1);
            }
        }
        JsonNode parts = s.path("allOf");
        if (parts.isArray() && !parts.isEmpty()) {
            return instance(parts.get(0), depth + 1);
        }
        return switch (type(s)) {
            case "object" -> object(s, depth);
            case "array" -> array(s, depth);
            case "integer" -> NODES.numberNode((long) number(s, true));
            case "number" -> NODES.numberNode(number(s, false));
            case "boolean" -> NODES.booleanNode((next() & 1) == 0);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(string(s));
        };
    }

    /** Follows a local {@code $ref} ({@code #/$defs/Name}, {@code #/definitions/Name}, {@code #}). */
    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int hops = 0; s != null && s.has("$ref") && hops < MAX_DEPTH; hops++) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return null; // remote schemas are not fetched
            }
            JsonNode target = root.at(ref.substring(1));
            s = target.isMissingNode() ? null : target;
        }
        return s;
    }

    private static JsonNode firstNotNull(JsonNode alternatives) {
        for (JsonNode a : alternatives) {
            if (!"null".equals(a.path("type").asText())) {
                return a;
            }
        }
        return alternatives.get(0);
    }

    /** The schema's type; of a list of types, the first that is not {@code null}. */
    private static String type(JsonNode s) {
        JsonNode type = s.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return s.has("properties") ? "object" : s.has("items") ? "array" : "string";
    }

    private ObjectNode object(JsonNode s, int depth) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            out.set(property.getKey(), instance(property.getValue(), depth + 1));
        }
        return out;
    }

    private ArrayNode array(JsonNode s, int depth) {
        int min = s.path("minItems").asInt(0);
        int max = s.has("maxItems") ? s.path("maxItems").asInt() : Math.max(min, 2);
        int count = Math.min(max, Math.max(min, 1 + (int) Long.remainderUnsigned(next(), 2)));
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            out.add(instance(s.path("items"), depth + 1));
        }
        return out;
    }

    private double number(JsonNode s, boolean integral) {
        double low = s.has("minimum") ? s.get("minimum").asDouble() : Double.NEGATIVE_INFINITY;
        double high = s.has("maximum") ? s.get("maximum").asDouble() : Double.POSITIVE_INFINITY;
        if (s.has("exclusiveMinimum")) {
            low = Math.max(low, s.get("exclusiveMinimum").asDouble() + (integral ? 1 : 1e-6));
        }
        if (s.has("exclusiveMaximum")) {
            high = Math.min(high, s.get("exclusiveMaximum").asDouble() - (integral ? 1 : 1e-6));
        }
        if (integral) {
            low = Math.ceil(low);
            high = Math.floor(high);
        }
        double wanted = Long.remainderUnsigned(next(), 100) + (integral ? 0 : 0.5);
        return Math.max(low, Math.min(high, wanted));
    }

    private String string(JsonNode s) {
        String value = switch (s.path("format").asText()) {
            case "date-time" -> "2026-11-27T09:30:00Z";
            case "date" -> "2026-11-27";
            case "time" -> "09:30:00Z";
            case "email" -> "someone@example.com";
            case "uuid" -> "3f1e7c2a-5b8d-4e6f-9a0b-1c2d3e4f5a6b";
            case "uri" -> "https://example.com/" + word();
            default -> word() + " " + word();
        };
        int min = s.path("minLength").asInt(0);
        int max = s.has("maxLength") ? s.path("maxLength").asInt() : Integer.MAX_VALUE;
        StringBuilder b = new StringBuilder(value);
        while (b.length() < min) {
            b.append(' ').append(word());
        }
        return b.length() > max ? b.substring(0, max) : b.toString();
    }

    private String word() {
        return WORDS[(int) Long.remainderUnsigned(next(), WORDS.length)];
    }

    private long next() {
        state += 0x9E3779B97F4A7C15L;
        return TextGenerator.mix(state);
    }
}
