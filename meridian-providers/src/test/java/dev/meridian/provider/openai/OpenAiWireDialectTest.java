package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What OpenAI-compatible servers differ on: a top-k goes only to an upstream the operator said takes one, and the
 * output limit goes under the name the server takes.
 */
class OpenAiWireDialectTest {
    static JsonNode wire(Integer topK, boolean sendTopK) throws Exception {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "hi")),
                new InferenceParams(10, null, null, List.of(), topK),
                Map.of());
        return OpenAiWire.MAPPER.readTree(
                OpenAiWire.request(request, "m", false, new OpenAiWire.Dialect(sendTopK, false)));
    }

    @Test
    void toAnUpstreamThatTakesIt_topKIsSent() throws Exception {
        assertThat(wire(40, true).path("top_k").asInt()).isEqualTo(40);
        assertThat(wire(null, true).has("top_k")).isFalse();
    }

    @Test
    void toAnyOther_itIsNot() throws Exception {
        assertThat(wire(40, false).has("top_k")).isFalse(); // OpenAI and Azure refuse top_k
    }

    /** OpenAI's own API takes the output limit as max_completion_tokens (its reasoning models refuse max_tokens). */
    @Test
    void theOutputLimit_goesToOpenAiAsMaxCompletionTokens_toOthersAsMaxTokens() throws Exception {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "hi")),
                new InferenceParams(10, null, null, List.of(), null),
                Map.of());
        var openAi = new OpenAiUpstream(
                java.net.URI.create("https://api.openai.com/v1"), "gpt-5", "k", null, java.time.Duration.ofSeconds(5));
        var vllm = new OpenAiUpstream(
                java.net.URI.create("http://10.0.0.5:8000/v1"),
                "m",
                null,
                null,
                java.time.Duration.ofSeconds(5),
                true,
                UpstreamProtocol.AUTO);
        JsonNode toOpenAi = OpenAiWire.MAPPER.readTree(OpenAiWire.request(request, "gpt-5", false, openAi.dialect()));
        JsonNode toVllm = OpenAiWire.MAPPER.readTree(OpenAiWire.request(request, "m", false, vllm.dialect()));
        assertThat(toOpenAi.path("max_completion_tokens").asInt()).isEqualTo(10);
        assertThat(toOpenAi.has("max_tokens")).isFalse();
        assertThat(toVllm.path("max_tokens").asInt()).isEqualTo(10);
        assertThat(toVllm.has("max_completion_tokens")).isFalse();
    }

    /** Azure OpenAI took max_completion_tokens from API version 2024-09-01-preview on; older versions max_tokens. */
    @Test
    void toAzure_theOutputLimitFieldFollowsTheApiVersion() {
        java.net.URI deployment = java.net.URI.create("https://x.openai.azure.com/openai/deployments/d");
        for (String recent : List.of("2024-09-01-preview", "2024-10-21", "2025-04-01-preview", "preview")) {
            assertThat(new OpenAiUpstream(deployment, "d", "k", recent, java.time.Duration.ofSeconds(5))
                            .dialect()
                            .maxCompletionTokens())
                    .as(recent)
                    .isTrue();
        }
        for (String older : List.of("2024-06-01", "2024-08-01-preview", "2023-05-15")) {
            assertThat(new OpenAiUpstream(deployment, "d", "k", older, java.time.Duration.ofSeconds(5))
                            .dialect()
                            .maxCompletionTokens())
                    .as(older)
                    .isFalse();
        }
    }

    /** OpenAI and Azure OpenAI take at most four stop sequences; vLLM and the other servers set no limit. */
    @Test
    void openAiAndAzure_takeFourStopSequences_othersAny() {
        java.time.Duration t = java.time.Duration.ofSeconds(5);
        assertThat(new OpenAiUpstream(java.net.URI.create("https://api.openai.com/v1"), "m", "k", null, t)
                        .dialect()
                        .maxStopSequences())
                .isEqualTo(4);
        assertThat(new OpenAiUpstream(
                                java.net.URI.create("https://x.openai.azure.com/openai/deployments/d"),
                                "d",
                                "k",
                                "2023-05-15",
                                t)
                        .dialect()
                        .maxStopSequences())
                .isEqualTo(4);
        assertThat(new OpenAiUpstream(java.net.URI.create("http://10.0.0.5:8000/v1"), "m", null, null, t)
                        .dialect()
                        .maxStopSequences())
                .isEqualTo(Integer.MAX_VALUE);
    }
}
