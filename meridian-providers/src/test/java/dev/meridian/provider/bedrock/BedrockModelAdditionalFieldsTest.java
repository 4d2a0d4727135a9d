package dev.meridian.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Reasoning;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A top-k limit and thinking reach a Bedrock upstream in the shape each model family reads (Converse has no member
 * for either).
 */
class BedrockModelAdditionalFieldsTest {
    static String additionalFields(String modelId, Integer topK) {
        return additionalFields(modelId, topK, null);
    }

    static String additionalFields(String modelId, Integer topK, Reasoning reasoning) {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(Message.text(dev.meridian.core.chat.Role.USER, "hi")),
                new InferenceParams(10, null, null, List.of(), topK).withReasoning(reasoning),
                Map.of());
        var fields = BedrockModel.request(request, modelId).additionalFields();
        return fields == null ? null : DocumentJson.write(fields);
    }

    @Test
    void eachFamily_getsItsOwnShape() {
        assertThat(additionalFields("anthropic.claude-sonnet-4-5-20250929-v1:0", 40))
                .isEqualTo("{\"top_k\":40}");
        assertThat(additionalFields("mistral.mistral-large-2407-v1:0", 5)).isEqualTo("{\"top_k\":5}");
        assertThat(additionalFields("amazon.nova-2-lite-v1:0", 20)).isEqualTo("{\"inferenceConfig\":{\"topK\":20}}");
    }

    @Test
    void noLimit_orAFamilyWithoutOne_sendsNothing() {
        assertThat(additionalFields("amazon.nova-2-lite-v1:0", null)).isNull();
        assertThat(additionalFields("meta.llama3-70b-instruct-v1:0", 20)).isNull();
    }

    /** Anthropic takes a budget, Nova an effort: each is given what it takes, told from what was asked. */
    @Test
    void thinking_eachFamily_getsItsOwnShape() {
        assertThat(additionalFields("anthropic.claude-sonnet-4-5-20250929-v1:0", 40, Reasoning.budget(2048)))
                .isEqualTo("{\"top_k\":40,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}");
        assertThat(additionalFields("anthropic.claude-sonnet-4-5-20250929-v1:0", null, Reasoning.effort("medium")))
                .isEqualTo("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16384}}");
        assertThat(additionalFields("amazon.nova-2-lite-v1:0", null, Reasoning.budget(1024)))
                .isEqualTo("{\"reasoningConfig\":{\"type\":\"enabled\",\"maxReasoningEffort\":\"low\"}}");
        assertThat(additionalFields("meta.llama3-70b-instruct-v1:0", null, Reasoning.effort("high")))
                .as("a family without a way to ask")
                .isNull();
    }
}
