package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.meridian.core.error.GatewayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of the control plane's JSON members (profiles, tags). Jackson's {@code asText} turns
 * {@code "inferenceProfileName": 5} into {@code "5"} and iterating a string as a list yields nothing, so a
 * mistyped request used to succeed with something the caller did not send; here it is a ValidationException
 * naming the member. An absent or {@code null} member is "not set".
 */
final class BedrockFields {
    private BedrockFields() {}

    /** A string member, or {@code null} when not set. */
    static String string(JsonNode parent, String member) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw GatewayException.validation(member + " must be a string.");
        }
        return v.textValue();
    }

    /** A list of strings (e.g. {@code tagKeys}), empty when not set. */
    static List<String> strings(JsonNode parent, String member) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : list(parent, member)) {
            if (!v.isTextual()) {
                throw GatewayException.validation(member + " must be a list of strings.");
            }
            out.add(v.textValue());
        }
        return out;
    }

    /** A list of {@code {key, value}} string pairs in order (Bedrock's {@code Tag}), empty when not set. */
    static Map<String, String> tags(JsonNode parent, String member) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode tag : list(parent, member)) {
            if (!tag.path("key").isTextual() || !tag.path("value").isTextual()) {
                throw GatewayException.validation(member + ": each tag needs a string key and value.");
            }
            out.put(tag.get("key").textValue(), tag.get("value").textValue());
        }
        return out;
    }

    private static JsonNode list(JsonNode parent, String member) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return MissingNode.getInstance();
        }
        if (!v.isArray()) {
            throw GatewayException.validation(member + " must be a list.");
        }
        return v;
    }
}
