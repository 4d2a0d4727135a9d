package dev.meridian.server.surface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every way of giving one member of a valid request body a value of another JSON type: each leaf (string, number,
 * boolean) and each container (object, array) in turn replaced by a value of each other type. A parser that reads
 * members typed refuses every one; one that coerces (Jackson's {@code asText}, {@code asInt}, iterating a string
 * as an empty list) lets some through.
 */
public final class TypeMutations {
    private TypeMutations() {}

    /** One mutated body: the member's path, what it now holds, and the whole body. */
    public record Mutation(String path, String replacement, JsonNode body) {
        @Override
        public String toString() {
            return path + " = " + replacement;
        }
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The mutations of {@code validBody} (a JSON object), in document order. */
    public static List<Mutation> of(String validBody) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(validBody);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        List<Mutation> out = new ArrayList<>();
        for (String path : paths) {
            JsonNode original = at(root, path);
            for (JsonNode replacement : replacementsFor(original)) {
                JsonNode copy = root.deepCopy();
                set(copy, path, replacement);
                out.add(new Mutation(path, replacement.toString(), copy));
            }
        }
        return out;
    }

    private static List<JsonNode> replacementsFor(JsonNode original) {
        List<JsonNode> all = List.of(
                F.textNode("x"),
                F.numberNode(7),
                F.booleanNode(true),
                F.objectNode(),
                F.arrayNode().add("x"));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : all) {
            if (r.getNodeType() != original.getNodeType()) {
                out.add(r);
            }
        }
        return out;
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(p);
                collect(node.get(i), p, out);
            }
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : steps(path)) {
            node = step.startsWith("[")
                    ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
                    : node.get(step);
        }
        return node;
    }

    private static void set(JsonNode root, String path, JsonNode value) {
        List<String> steps = steps(path);
        JsonNode parent = root;
        for (String step : steps.subList(0, steps.size() - 1)) {
            parent = step.startsWith("[")
                    ? parent.get(Integer.parseInt(step.substring(1, step.length() - 1)))
                    : parent.get(step);
        }
        String last = steps.get(steps.size() - 1);
        if (last.startsWith("[")) {
            ((ArrayNode) parent).set(Integer.parseInt(last.substring(1, last.length() - 1)), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static List<String> steps(String path) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("[^.\\[]+|\\[\\d+]").matcher(path);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
