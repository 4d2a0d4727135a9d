package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of JSON members for the Bedrock surface's hand-parsed bodies (control plane, native model bodies).
 * Jackson's {@code asText} turns {@code "inferenceProfileName": 5} into {@code "5"}, {@code intValue} truncates
 * {@code 1.5}, and iterating a string as a list yields nothing, so a mistyped request used to succeed with
 * something the caller did not send; here it is a ValidationException naming the member. An absent or
 * {@code null} member is "not set".
 *
 * <p>{@code where} is the path of {@code parent} in the body, {@code ""} for the top level or e.g.
 * {@code "messages[0].content[1]."}, so messages name the member as the caller wrote it.
 */
final class BedrockFields {
    private BedrockFields() {}

    /** A string member, or {@code null} when not set. */
    static String string(JsonNode parent, String member, String where) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw GatewayException.validation(where + member + " must be a string.");
        }
        return v.textValue();
    }

    /** A string member that must be there; absent, {@code null} or another type is refused, naming it. */
    static String requiredString(JsonNode parent, String member, String where) {
        String value = string(parent, member, where);
        if (value == null) {
            throw GatewayException.validation(where + member + " is required.");
        }
        return value;
    }

    /** A 32-bit integer member ({@code 2.0} counts; {@code 1.5} does not), or {@code null} when not set. */
    static Integer integer(JsonNode parent, String member, String where) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !v.canConvertToInt() || v.doubleValue() != Math.rint(v.doubleValue())) {
            throw GatewayException.validation(where + member + " must be an integer.");
        }
        return v.intValue();
    }

    /** A boolean member, or {@code otherwise} when not set. */
    static boolean bool(JsonNode parent, String member, String where, boolean otherwise) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw GatewayException.validation(where + member + " must be a boolean.");
        }
        return v.booleanValue();
    }

    /**
     * Refuses a member of {@code object} outside {@code known}, in Bedrock's words for a body that does not match
     * the model's schema. A misspelt member ({@code max_tokens} for Nova's {@code max_new_tokens}) was ignored in
     * silence, so the limit the caller meant was never applied.
     *
     * @param pointer where {@code object} is, as a JSON pointer ({@code ""} for the body, {@code "/inferenceConfig"})
     */
    static void onlyKnown(JsonNode object, java.util.Set<String> known, String pointer) {
        String member = Json.unknownMember(object, known);
        if (member != null) {
            throw GatewayException.validation("Malformed input request: #" + pointer + ": extraneous key [" + member
                    + "] is not permitted, please reformat your input and try again.");
        }
    }

    /** An integer of at least {@code min}; anything else is refused naming {@code path} and the bound. */
    static int integerAtLeast(JsonNode value, int min, String path) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
            throw GatewayException.validation(path + ": " + value + " (expected: an integer >= " + min + ").");
        }
        return value.intValue();
    }

    /** Bedrock's wording for a value outside an enum ({@code value} as it should be quoted). */
    static GatewayException notInSet(String value, String path, List<String> allowed) {
        return GatewayException.validation("1 validation error detected: Value " + value + " at '" + path
                + "' failed to satisfy constraint: Member must satisfy enum value set: ["
                + String.join(", ", allowed) + "]");
    }

    /** An object member, or {@code null} when not set. */
    static JsonNode object(JsonNode parent, String member, String where) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw GatewayException.validation(where + member + " must be an object.");
        }
        return v;
    }

    /** A list member's elements, none when not set. */
    static JsonNode list(JsonNode parent, String member, String where) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return MissingNode.getInstance(); // iterates as nothing
        }
        if (!v.isArray()) {
            throw GatewayException.validation(where + member + " must be a list.");
        }
        return v;
    }

    /** A list of strings (e.g. {@code tagKeys}), empty when not set. */
    static List<String> strings(JsonNode parent, String member, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : list(parent, member, where)) {
            if (!v.isTextual()) {
                throw GatewayException.validation(where + member + " must be a list of strings.");
            }
            out.add(v.textValue());
        }
        return out;
    }

    /**
     * A list of {@code {key, value}} string pairs in order (Bedrock's {@code Tag}), empty when not set; a key given
     * twice is refused rather than resolved by taking one of its values.
     */
    static Map<String, String> tags(JsonNode parent, String member, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode tag : list(parent, member, where)) {
            if (!tag.path("key").isTextual() || !tag.path("value").isTextual()) {
                throw GatewayException.validation(where + member + ": each tag needs a string key and value.");
            }
            String key = tag.get("key").textValue();
            if (out.put(key, tag.get("value").textValue()) != null) {
                throw GatewayException.validation(
                        where + member + ": the key '" + key + "' is given more than once; keys must be unique.");
            }
        }
        return out;
    }
}
