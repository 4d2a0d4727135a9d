package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.List;
import java.util.Set;

/**
 * Converse's thinking, both ways: the request for it in {@code additionalModelRequestFields} (Anthropic's {@code
 * thinking} with a token budget, Amazon Nova's {@code reasoningConfig} with an effort), the {@code reasoningContent}
 * blocks a caller sends back in an assistant message, and those the answer carries, whole and streamed.
 */
final class ConverseReasoning {
    private static final List<String> TYPES = List.of("enabled", "disabled");
    private static final Set<String> THINKING_MEMBERS = Set.of("type", "budget_tokens");
    private static final Set<String> REASONING_CONFIG_MEMBERS = Set.of("type", "maxReasoningEffort");

    private ConverseReasoning() {}

    /**
     * Anthropic's {@code thinking} ({@code where} names it: in Converse's {@code additionalModelRequestFields}, or
     * Anthropic's own body): {@code {"type": "enabled", "budget_tokens": n}} (n at least 1,024) asks for it, {@code
     * {"type": "disabled"}} does not; {@code null} when not asked for.
     */
    static Reasoning thinking(JsonNode value, String where) {
        if (!value.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        BedrockFields.onlyKnown(value, THINKING_MEMBERS, "/" + where.replace('.', '/'));
        if (!enabled(value, where)) {
            if (value.has("budget_tokens")) {
                throw GatewayException.validation(where + ".budget_tokens: only with type 'enabled'.");
            }
            return null;
        }
        if (!value.hasNonNull("budget_tokens")) {
            throw GatewayException.validation(where + ".budget_tokens is required when thinking is enabled.");
        }
        int budget = BedrockFields.integerAtLeast(
                value.get("budget_tokens"), Reasoning.MIN_BUDGET_TOKENS, where + ".budget_tokens");
        return Reasoning.budget(budget);
    }

    /**
     * Amazon Nova's {@code reasoningConfig}: {@code {"type": "enabled", "maxReasoningEffort": "low"|"medium"|"high"}}
     * (medium when left out) asks for it, {@code {"type": "disabled"}} does not; {@code null} when not asked for.
     */
    static Reasoning reasoningConfig(JsonNode value) {
        String where = "additionalModelRequestFields.reasoningConfig";
        if (!value.isObject()) {
            throw GatewayException.validation(where + " must be an object.");
        }
        BedrockFields.onlyKnown(value, REASONING_CONFIG_MEMBERS, "/additionalModelRequestFields/reasoningConfig");
        String effort = BedrockFields.string(value, "maxReasoningEffort", where + ".");
        if (!enabled(value, where)) {
            if (effort != null) {
                throw GatewayException.validation(where + ".maxReasoningEffort: only with type 'enabled'.");
            }
            return null;
        }
        if (effort == null) {
            return Reasoning.effort("medium");
        }
        if (!Reasoning.EFFORTS.contains(effort)) {
            throw BedrockFields.notInSet(effort, where + ".maxReasoningEffort", Reasoning.EFFORTS);
        }
        return Reasoning.effort(effort);
    }

    private static boolean enabled(JsonNode value, String where) {
        String type = BedrockFields.requiredString(value, "type", where + ".");
        if (!TYPES.contains(type)) {
            throw BedrockFields.notInSet(type, where + ".type", TYPES);
        }
        return type.equals("enabled");
    }

    /**
     * The thinking budget must leave room for the answer: below {@code maxTokens} when that is given (Anthropic's
     * rule, applied to every model so that a request is served alike wherever it goes).
     */
    static void checkBudget(Reasoning reasoning, Integer maxTokens, String budgetField, String maxField) {
        if (reasoning != null
                && reasoning.budgetTokens() != null
                && maxTokens != null
                && reasoning.budgetTokens() >= maxTokens) {
            throw GatewayException.validation(budgetField + " (" + reasoning.budgetTokens() + ") must be less than "
                    + maxField + " (" + maxTokens + ").");
        }
    }

    /**
     * A {@code reasoningContent} block sent back in an assistant message, unchanged from the answer that carried it:
     * {@code reasoningText} ({@code text}, optional {@code signature}) or {@code redactedContent}.
     */
    static ContentBlock.Reasoning block(JsonNode block, String where) {
        if (!block.isObject() || block.size() != 1) {
            throw GatewayException.validation(where + " must set exactly one of reasoningText, redactedContent.");
        }
        JsonNode redacted = block.get("redactedContent");
        if (redacted != null) {
            if (!redacted.isTextual() || redacted.textValue().isEmpty()) {
                throw GatewayException.validation(where + ".redactedContent must be base64-encoded bytes.");
            }
            return ContentBlock.Reasoning.redacted(redacted.textValue());
        }
        JsonNode text = block.get("reasoningText");
        if (text == null) {
            throw GatewayException.validation(
                    where + ": '" + block.fieldNames().next() + "' (expected: reasoningText or redactedContent).");
        }
        if (!text.isObject()) {
            throw GatewayException.validation(where + ".reasoningText must be an object.");
        }
        String path = where + ".reasoningText";
        BedrockFields.onlyKnown(
                text,
                Set.of("text", "signature"),
                "/" + path.replace("]", "").replace('[', '/').replace('.', '/'));
        return ContentBlock.Reasoning.text(
                BedrockFields.requiredString(text, "text", path + "."),
                BedrockFields.string(text, "signature", path + "."));
    }

    /** The answer's reasoning block, as Converse renders it. */
    static ObjectNode render(ContentBlock.Reasoning reasoning) {
        ObjectNode block = Json.object();
        ObjectNode content = block.putObject("reasoningContent");
        if (reasoning.redactedBase64() != null) {
            content.put("redactedContent", reasoning.redactedBase64());
        } else {
            ObjectNode text = content.putObject("reasoningText").put("text", reasoning.text());
            if (reasoning.signature() != null) {
                text.put("signature", reasoning.signature());
            }
        }
        return block;
    }

    /** A streamed reasoning delta's {@code delta} member: {@code reasoningContent} with its one part. */
    static ObjectNode delta(ChatEvent.ReasoningDelta d) {
        ObjectNode delta = Json.object();
        ObjectNode content = delta.putObject("reasoningContent");
        if (d.text() != null) {
            content.put("text", d.text());
        } else if (d.signature() != null) {
            content.put("signature", d.signature());
        } else {
            content.put("redactedContent", d.redactedBase64());
        }
        return delta;
    }
}
