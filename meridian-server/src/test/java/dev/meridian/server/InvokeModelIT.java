package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** InvokeModel and InvokeModelWithResponseStream with Nova and Anthropic native bodies, through the real SDK. */
class InvokeModelIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NOVA_BODY = """
            {"schemaVersion":"messages-v1","system":[{"text":"Be brief."}],
             "messages":[{"role":"user","content":[{"text":"Where is my data?"}]}],
             "inferenceConfig":{"max_new_tokens":200,"temperature":0.2,"top_p":0.9,"top_k":20}}""";
    static final String CLAUDE_BODY = """
            {"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"system":"Be brief.",
             "messages":[{"role":"user","content":"Where is my data?"}],"temperature":0.2}""";
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";
    static final String EU_CLAUDE = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static InvokeModelResponse invoke(String modelId, String body) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            return client.invokeModel(
                    b -> b.modelId(modelId).contentType("application/json").body(SdkBytes.fromUtf8String(body)));
        }
    }

    @Test
    void invokeModel_novaBody_answersInNovaShapeWithTokenHeaders() throws Exception {
        InvokeModelResponse r = invoke(EU_NOVA, NOVA_BODY);
        JsonNode body = JSON.readTree(r.body().asUtf8String());

        assertThat(body.at("/output/message/content/0/text").asText()).isNotBlank();
        assertThat(body.at("/stopReason").asText()).isEqualTo("end_turn");
        int in = body.at("/usage/inputTokens").asInt();
        int out = body.at("/usage/outputTokens").asInt();
        var headers = r.sdkHttpResponse();
        assertThat(headers.firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count"))
                .hasValue(Integer.toString(in));
        assertThat(headers.firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count"))
                .hasValue(Integer.toString(out));
        assertThat(headers.firstMatchingHeader("X-Amzn-Bedrock-Invocation-Latency"))
                .isPresent();
        assertThat(headers.firstMatchingHeader("x-meridian-inference-region"))
                .hasValueSatisfying(region -> assertThat(region).isIn(ConverseIT.EU_MEMBERS));
        assertThat(r.contentType()).isEqualTo("application/json");
    }

    @Test
    void invokeModel_anthropicBody_answersInMessagesShape() throws Exception {
        JsonNode body = JSON.readTree(invoke(EU_CLAUDE, CLAUDE_BODY).body().asUtf8String());
        assertThat(body.path("type").asText()).isEqualTo("message");
        assertThat(body.path("role").asText()).isEqualTo("assistant");
        assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(body.at("/content/0/text").asText()).isNotBlank();
        assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(body.at("/usage/output_tokens").asInt()).isPositive();
    }

    @Test
    void invokeModel_anthropicTools_returnsToolUseBlock() throws Exception {
        String body = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":200,
                 "messages":[{"role":"user","content":"Weather in Lyon?"}],
                 "tools":[{"name":"get_weather","description":"weather","input_schema":{"type":"object"}}]}""";
        JsonNode r = JSON.readTree(invoke(EU_CLAUDE, body).body().asUtf8String());
        assertThat(r.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(r.at("/content/1/type").asText()).isEqualTo("tool_use");
        assertThat(r.at("/content/1/name").asText()).isEqualTo("get_weather");
        assertThat(r.at("/content/1/input/prompt").asText()).isEqualTo("Weather in Lyon?");
    }

    /** Anthropic's {@code tool_choice: {"type": "none"}}: the same request is answered in text, no tool called. */
    @Test
    void invokeModel_anthropicToolChoiceNone_answersInText() throws Exception {
        String body = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":200,
                 "messages":[{"role":"user","content":"Weather in Lyon?"}],
                 "tools":[{"name":"get_weather","description":"weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"none"}}""";
        JsonNode r = JSON.readTree(invoke(EU_CLAUDE, body).body().asUtf8String());
        assertThat(r.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(r.path("content")).hasSize(1);
        assertThat(r.at("/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void invokeModel_wrongAnthropicVersion_isValidationException() {
        assertThatThrownBy(() -> invoke(EU_CLAUDE, CLAUDE_BODY.replace("bedrock-2023-05-31", "2023-06-01")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("anthropic_version: 2023-06-01 (expected: bedrock-2023-05-31).")
                .hasMessageContaining("set their anthropic-version header to bedrock-2023-05-31");
        assertThatThrownBy(() -> invoke(EU_CLAUDE, CLAUDE_BODY.replace("bedrock-2023-05-31", "v2")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("anthropic_version: v2 (expected: bedrock-2023-05-31).")
                .message()
                .doesNotContain("header");
    }

    @Test
    void invokeModel_familyWithoutNativeTranslation_pointsToConverse() {
        assertThatThrownBy(() -> invoke("global.meta.llama3-3-70b-instruct-v1:0", "{\"prompt\":\"hi\"}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("use Converse");
    }

    static List<JsonNode> streamChunks(String modelId, String body) throws Exception {
        return streamChunks(gateway.server(), modelId, body);
    }

    /** InvokeModelWithResponseStream of {@code body} through {@code server} from eu-west-1: its chunks, parsed. */
    static List<JsonNode> streamChunks(MeridianServer server, String modelId, String body) throws Exception {
        List<JsonNode> chunks = new CopyOnWriteArrayList<>();
        try (var client = TestGateways.runtimeAsync(server, "eu-west-1")) {
            client.invokeModelWithResponseStream(
                            b -> b.modelId(modelId)
                                    .contentType("application/json")
                                    .body(SdkBytes.fromUtf8String(body)),
                            InvokeModelWithResponseStreamResponseHandler.builder()
                                    .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                                            .onChunk((PayloadPart part) -> {
                                                try {
                                                    chunks.add(JSON.readTree(
                                                            part.bytes().asUtf8String()));
                                                } catch (Exception e) {
                                                    throw new IllegalStateException(e);
                                                }
                                            })
                                            .onDefault((ResponseStream e) -> {})
                                            .build())
                                    .build())
                    .get(30, TimeUnit.SECONDS);
        }
        return chunks;
    }

    @Test
    void invokeModelWithResponseStream_nova_streamsNativeChunksWithInvocationMetricsLast() throws Exception {
        List<JsonNode> chunks = streamChunks(EU_NOVA, NOVA_BODY);
        assertThat(chunks.get(0).has("messageStart")).isTrue();
        assertThat(chunks).anyMatch(c -> c.has("contentBlockDelta"));
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.has("metadata")).isTrue();
        assertThat(last.at("/amazon-bedrock-invocationMetrics/outputTokenCount").asInt())
                .isPositive();
        assertThat(last.at("/amazon-bedrock-invocationMetrics/firstByteLatency").isNumber())
                .isTrue();
    }

    @Test
    void invokeModelWithResponseStream_anthropic_streamsMessagesEvents() throws Exception {
        List<JsonNode> chunks = streamChunks(EU_CLAUDE, CLAUDE_BODY);
        assertThat(chunks)
                .extracting(c -> c.path("type").asText())
                .startsWith("message_start", "content_block_start", "content_block_delta")
                .endsWith("content_block_stop", "message_delta", "message_stop");
        String text = chunks.stream()
                .filter(c -> c.path("type").asText().equals("content_block_delta"))
                .map(c -> c.at("/delta/text").asText())
                .reduce("", String::concat);
        JsonNode whole = JSON.readTree(invoke(EU_CLAUDE, CLAUDE_BODY).body().asUtf8String());
        assertThat(text).isEqualTo(whole.at("/content/0/text").asText());
        assertThat(chunks.get(chunks.size() - 1)
                        .at("/amazon-bedrock-invocationMetrics/inputTokenCount")
                        .asInt())
                .isEqualTo(whole.at("/usage/input_tokens").asInt());
    }

    /**
     * Anthropic's {@code stop_sequence} names the stop sequence that ended generation, the one produced first (it
     * was always null), whole and in the streamed {@code message_delta}; null when the turn ended otherwise.
     */
    @Test
    void anthropicStopSequence_namesTheSequenceThatEndedGeneration() throws Exception {
        String full = JSON.readTree(invoke(EU_CLAUDE, CLAUDE_BODY).body().asUtf8String())
                .at("/content/0/text")
                .asText();
        String earlier = full.substring(4, 8);
        String later = full.substring(20, 25);
        assertThat(full.indexOf(earlier)).isLessThan(full.indexOf(later));
        String body = CLAUDE_BODY.replace(
                "\"temperature\":0.2",
                "\"temperature\":0.2,\"stop_sequences\":[\"never\",\"" + later + "\",\"" + earlier + "\"]");
        JsonNode whole = JSON.readTree(invoke(EU_CLAUDE, body).body().asUtf8String());
        assertThat(whole.path("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(whole.path("stop_sequence").asText()).isEqualTo(earlier);
        assertThat(whole.at("/content/0/text").asText()).isEqualTo(full.substring(0, full.indexOf(earlier)));
        JsonNode delta = streamChunks(EU_CLAUDE, body).stream()
                .filter(c -> c.path("type").asText().equals("message_delta"))
                .findFirst()
                .orElseThrow();
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(delta.at("/delta/stop_sequence").asText()).isEqualTo(earlier);
        assertThat(JSON.readTree(invoke(EU_CLAUDE, CLAUDE_BODY).body().asUtf8String())
                        .path("stop_sequence")
                        .isNull())
                .isTrue();
    }
}
