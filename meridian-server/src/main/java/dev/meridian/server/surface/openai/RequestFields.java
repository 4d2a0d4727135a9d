package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Typed reads of an OpenAI create request's fields (chat completions, responses), refusing a value of the wrong type with OpenAI's own
 * wording instead of coercing it: Jackson's {@code asDouble} reads {@code "temperature": "hot"} as 0, and
 * {@code asInt} wraps {@code 99999999999} around, both silently changing what the caller asked for. An absent or
 * {@code null} field is "not set".
 */
final class RequestFields {
    private RequestFields() {}

    /**
     * The {@code model} of a create request, once the request is checked as a whole: a JSON object naming a model,
     * with no member outside {@code parameters} (refused as OpenAI refuses it, "Unrecognized request argument
     * supplied"), and none of {@code refused} asking for anything ({@code asksForNothing} tells a default that clients
     * send unasked), each refused naming it, {@code why} completing the sentence.
     */
    static String model(
            JsonNode root,
            Set<String> parameters,
            Set<String> refused,
            BiPredicate<String, JsonNode> asksForNothing,
            String why) {
        if (root == null || !root.isObject()) {
            throw GatewayException.validation("The request body must be a JSON object.");
        }
        String model = string(root, "model", "model");
        if (model == null || model.isEmpty()) {
            throw GatewayException.invalidParameter("model", "you must provide a model parameter");
        }
        String unknown = Json.unknownMember(root, parameters);
        if (unknown != null) {
            throw GatewayException.validation("Unrecognized request argument supplied: " + unknown);
        }
        for (String field : refused) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !asksForNothing.test(field, v)) {
                throw GatewayException.invalidParameter(
                        field, "The parameter '" + field + "' is not supported by this gateway" + why + ".");
            }
        }
        return model;
    }

    /**
     * Checks that each of {@code fields}, when set, is a string (members accepted and not used are still typed), and
     * that {@code store}, which both create requests take and nothing here keeps, is a boolean.
     */
    static void typeUnused(JsonNode root, String... fields) {
        for (String field : fields) {
            string(root, field, field);
        }
        bool(root, "store", "store", false);
    }

    /** The member's value, or {@code null} when it is absent or JSON {@code null} (both mean "not set"). */
    private static JsonNode set(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** A decimal (any JSON number), or {@code null} when not set. */
    static Double decimal(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw invalidType(path, "a decimal", v);
        }
        return v.doubleValue();
    }

    /** A 32-bit integer ({@code 2.0} counts, as JSON does not tell them apart), or {@code null} when not set. */
    static Integer integer(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || (!v.isIntegralNumber() && v.doubleValue() != Math.rint(v.doubleValue()))) {
            throw invalidType(path, "an integer", v);
        }
        if (!v.canConvertToInt()) {
            boolean above = v.doubleValue() > 0;
            throw outOfRange(path, "integer", above, above ? Integer.MAX_VALUE : Integer.MIN_VALUE, v);
        }
        return v.intValue();
    }

    /** A 64-bit integer written as one (OpenAI's {@code seed}), or {@code null} when not set. */
    static Long longInteger(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw invalidType(path, "an integer", v);
        }
        if (!v.canConvertToLong()) {
            boolean above = v.bigIntegerValue().signum() > 0;
            throw outOfRange(path, "integer", above, above ? Long.MAX_VALUE : Long.MIN_VALUE, v);
        }
        return v.longValue();
    }

    /** {@link #integer} at least {@code min}, or {@code null} when not set. */
    static Integer integer(JsonNode parent, String field, String path, int min) {
        Integer value = integer(parent, field, path);
        if (value != null && value < min) {
            throw outOfRange(path, "integer", false, min, parent.get(field));
        }
        return value;
    }

    /** {@link #integer} within {@code min..max}, or {@code null} when not set. */
    static Integer integer(JsonNode parent, String field, String path, int min, int max) {
        Integer value = integer(parent, field, path, min);
        if (value != null && value > max) {
            throw outOfRange(path, "integer", true, max, parent.get(field));
        }
        return value;
    }

    /** {@link #decimal} within {@code min..max}, or {@code null} when not set. */
    static Double decimal(JsonNode parent, String field, String path, int min, int max) {
        Double value = decimal(parent, field, path);
        if (value != null && (value < min || value > max)) {
            throw outOfRange(path, "decimal", value > max, value > max ? max : min, parent.get(field));
        }
        return value;
    }

    /** OpenAI's message for a number outside its range, e.g. {@code Invalid 'top_p': decimal above maximum value.}. */
    private static GatewayException outOfRange(String path, String type, boolean above, long bound, JsonNode got) {
        return GatewayException.invalidParameter(
                path,
                "Invalid '" + path + "': " + type + " " + (above ? "above maximum" : "below minimum")
                        + " value. Expected a value " + (above ? "<= " : ">= ") + bound + ", but got " + got.asText()
                        + " instead.");
    }

    /** A boolean, or {@code otherwise} when not set. */
    static boolean bool(JsonNode parent, String field, String path, boolean otherwise) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw invalidType(path, "a boolean", v);
        }
        return v.booleanValue();
    }

    /** A string, or {@code null} when not set. */
    static String string(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalidType(path, "a string", v);
        }
        return v.textValue();
    }

    /** An object, or {@code null} when not set. */
    static JsonNode object(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw invalidType(path, "an object", v);
        }
        return v;
    }

    /** A string that must be there; absent or null is OpenAI's "Missing required parameter". */
    static String requiredString(JsonNode parent, String field, String path) {
        String value = string(parent, field, path);
        if (value == null) {
            throw missing(path);
        }
        return value;
    }

    /** An array, or {@code null} when not set. */
    static JsonNode array(JsonNode parent, String field, String path) {
        JsonNode v = set(parent, field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw invalidType(path, "an array", v);
        }
        return v;
    }

    /**
     * A non-empty array of at most {@code maxLength} elements, or {@code null} when not set; OpenAI refuses an empty
     * or overlong one (rather than reading {@code tools: []} as "no tools"), in its words.
     */
    static JsonNode nonEmptyArray(JsonNode parent, String field, String path, int maxLength) {
        JsonNode v = array(parent, field, path);
        if (v != null && v.isEmpty()) {
            throw GatewayException.invalidParameter(
                    path,
                    "Invalid '" + path + "': empty array. Expected an array with minimum length 1, but got an empty"
                            + " array instead.");
        }
        if (v != null && v.size() > maxLength) {
            throw tooLong(path, maxLength, v.size());
        }
        return v;
    }

    /** OpenAI's message for an array longer than its parameter allows. */
    static GatewayException tooLong(String path, int maxLength, int length) {
        return GatewayException.invalidParameter(
                path,
                "Invalid '" + path + "': array too long. Expected an array with maximum length " + maxLength
                        + ", but got an array with length " + length + " instead.");
    }

    /** OpenAI's message for a required parameter that is absent. */
    static GatewayException missing(String path) {
        return GatewayException.invalidParameter(path, "Missing required parameter: '" + path + "'.");
    }

    /** OpenAI's message for a value of the wrong JSON type. */
    static GatewayException invalidType(String path, String expected, JsonNode got) {
        return GatewayException.invalidParameter(
                path,
                "Invalid type for '" + path + "': expected " + expected + ", but got " + typeOf(got) + " instead.");
    }

    private static String typeOf(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isIntegralNumber()) {
            return "an integer";
        }
        if (v.isNumber()) {
            return "a decimal";
        }
        if (v.isArray()) {
            return "an array";
        }
        return v.isObject() ? "an object" : "null";
    }
}
