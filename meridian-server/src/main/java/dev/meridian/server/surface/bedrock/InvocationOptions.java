package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.meridian.core.error.GatewayException;
import java.util.List;
import java.util.Set;

/**
 * Invocation options Bedrock defines and Meridian serves one way: a latency hint ({@code optimized} is served as
 * {@code standard}: no destination offers latency-optimized inference), a service tier (served at the default
 * tier: destinations have one), and a trace switch (no guardrail runs, so there is nothing to trace). Valid values
 * are accepted, as a caller moving from Bedrock sends them; anything else is refused as Bedrock refuses it, never
 * ignored. The answer says what was served ({@link Served}), so a caller who asked for another latency or tier can
 * tell. Guardrails, which a caller relies on to filter content, are refused outright rather than skipped. Of the
 * model's own response fields ({@code additionalModelResponseFieldPaths}), {@value #STOP_SEQUENCE_PATH} is served
 * (Bedrock's documented example: which stop sequence ended generation); any other path is refused, as a field
 * Meridian cannot read from every destination.
 */
final class InvocationOptions {
    /** What every answer is served with, whatever was asked. */
    static final String SERVED_LATENCY = "standard";

    static final String SERVED_TIER = "default";
    static final List<String> LATENCIES = List.of("standard", "optimized");
    static final List<String> SERVICE_TIERS = List.of("priority", "default", "flex", "reserved");
    static final List<String> TRACES = List.of("ENABLED", "DISABLED", "ENABLED_FULL");

    /** The model response field served: the stop sequence that ended generation, as Anthropic's models name it. */
    static final String STOP_SEQUENCE_PATH = "/stop_sequence";

    /** Bedrock's limits on {@code additionalModelResponseFieldPaths}: entries, and characters in each. */
    private static final int MAX_RESPONSE_FIELD_PATHS = 10;

    private static final int MAX_RESPONSE_FIELD_PATH_LENGTH = 256;

    private InvocationOptions() {}

    /** Converse's and ConverseStream's {@code performanceConfig} and {@code serviceTier} members. */
    static void checkConverse(JsonNode root) {
        member(root, "performanceConfig", "latency", LATENCIES, false);
        member(root, "serviceTier", "type", SERVICE_TIERS, true);
        responseFieldPaths(root);
    }

    /**
     * {@code additionalModelResponseFieldPaths}: at most Bedrock's number of JSON pointers, each one this gateway
     * serves ({@value #STOP_SEQUENCE_PATH}); anything else is refused.
     */
    private static void responseFieldPaths(JsonNode root) {
        JsonNode paths = root.get("additionalModelResponseFieldPaths");
        if (paths == null || paths.isNull()) {
            return;
        }
        if (!paths.isArray()) {
            throw GatewayException.validation("additionalModelResponseFieldPaths must be a list of JSON pointers.");
        }
        if (paths.size() > MAX_RESPONSE_FIELD_PATHS) {
            throw GatewayException.validation(
                    "1 validation error detected: Value at 'additionalModelResponseFieldPaths'"
                            + " failed to satisfy constraint: Member must have length less than or equal to "
                            + MAX_RESPONSE_FIELD_PATHS);
        }
        for (JsonNode path : paths) {
            if (!path.isTextual()
                    || path.textValue().isEmpty()
                    || path.textValue().length() > MAX_RESPONSE_FIELD_PATH_LENGTH) {
                throw GatewayException.validation("additionalModelResponseFieldPaths: " + path
                        + " (expected: a JSON pointer of 1 to " + MAX_RESPONSE_FIELD_PATH_LENGTH + " characters).");
            }
            if (!path.textValue().equals(STOP_SEQUENCE_PATH)) {
                throw GatewayException.validation("additionalModelResponseFieldPaths: '" + path.textValue()
                        + "' is not supported by this gateway yet (it serves '" + STOP_SEQUENCE_PATH
                        + "', the stop sequence that ended generation).");
            }
        }
    }

    /** InvokeModel's and InvokeModelWithResponseStream's option headers. */
    static void checkInvokeHeaders(RequestHeaders headers) {
        for (String guardrail : List.of("X-Amzn-Bedrock-GuardrailIdentifier", "X-Amzn-Bedrock-GuardrailVersion")) {
            if (headers.contains(guardrail)) {
                throw GatewayException.validation("The header '" + guardrail
                        + "' is not supported by this gateway yet: no guardrail would be applied.");
            }
        }
        header(headers, "X-Amzn-Bedrock-PerformanceConfig-Latency", "performanceConfigLatency", LATENCIES);
        header(headers, "X-Amzn-Bedrock-Service-Tier", "serviceTier", SERVICE_TIERS);
        header(headers, "X-Amzn-Bedrock-Trace", "trace", TRACES);
    }

    /**
     * Which options a request named, so that its answer reports how they were served: Converse's
     * {@code performanceConfig} and {@code serviceTier} members, InvokeModel's
     * {@code X-Amzn-Bedrock-PerformanceConfig-Latency} and {@code X-Amzn-Bedrock-Service-Tier} headers, as Bedrock's
     * answers carry them. An option the request did not name is not reported.
     *
     * @param latency whether a latency was asked for
     * @param tier whether a service tier was asked for
     * @param stopSequence whether the {@value #STOP_SEQUENCE_PATH} response field was asked for (Converse only)
     */
    record Served(boolean latency, boolean tier, boolean stopSequence) {
        /** A request that named none. */
        static final Served NONE = new Served(false, false, false);

        /** The options named by a Converse body (already checked). */
        static Served ofConverse(JsonNode root) {
            JsonNode paths = root.path("additionalModelResponseFieldPaths"); // checked: only the stop sequence's
            return new Served(
                    root.hasNonNull("performanceConfig"),
                    root.hasNonNull("serviceTier"),
                    paths.isArray() && !paths.isEmpty());
        }

        /** The options named by InvokeModel's headers (already checked). */
        static Served ofInvokeHeaders(RequestHeaders headers) {
            return new Served(
                    headers.contains("X-Amzn-Bedrock-PerformanceConfig-Latency"),
                    headers.contains("X-Amzn-Bedrock-Service-Tier"),
                    false);
        }

        /**
         * Adds Converse's {@code additionalModelResponseFields} to an answer or its {@code messageStop} event when
         * asked: the stop sequence that ended generation, or null (another stop, or a destination that did not say
         * which).
         */
        void addResponseFields(ObjectNode answer, String stopSequence) {
            if (this.stopSequence) {
                answer.putObject("additionalModelResponseFields").put(STOP_SEQUENCE_PATH.substring(1), stopSequence);
            }
        }

        /** Adds Converse's {@code performanceConfig} and {@code serviceTier} members to an answer or metadata event. */
        void addTo(ObjectNode answer) {
            if (latency) {
                answer.putObject("performanceConfig").put("latency", SERVED_LATENCY);
            }
            if (tier) {
                answer.putObject("serviceTier").put("type", SERVED_TIER);
            }
        }

        /** Adds InvokeModel's response headers for the same. */
        void addTo(ResponseHeadersBuilder headers) {
            if (latency) {
                headers.add("X-Amzn-Bedrock-PerformanceConfig-Latency", SERVED_LATENCY);
            }
            if (tier) {
                headers.add("X-Amzn-Bedrock-Service-Tier", SERVED_TIER);
            }
        }
    }

    /** {@code root.option.field}, one of {@code allowed}; {@code option} an object of that one member. */
    private static void member(JsonNode root, String option, String field, List<String> allowed, boolean required) {
        JsonNode node = root.get(option);
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            BedrockFields.onlyKnown(node, Set.of(field), "/" + option);
        }
        JsonNode value = node.path(field);
        boolean absent = value.isMissingNode() || value.isNull();
        boolean valid =
                node.isObject() && (absent ? !required : value.isTextual() && allowed.contains(value.textValue()));
        if (!valid) {
            throw BedrockFields.notInSet(
                    node.isObject() ? value.toString() : node.toString(), option + "." + field, allowed);
        }
    }

    private static void header(RequestHeaders headers, String name, String member, List<String> allowed) {
        String value = headers.get(name);
        if (value != null && !allowed.contains(value)) {
            throw BedrockFields.notInSet("'" + value + "'", member, allowed);
        }
    }
}
