package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.simserver.SimulatorHttpServer;
import dev.meridian.sim.RegionSimulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Thinking before answering, asked the way each surface asks (Converse's {@code additionalModelRequestFields}:
 * Anthropic's {@code thinking}, Nova's {@code reasoningConfig}; Anthropic's own body; OpenAI's {@code
 * reasoning_effort}) and answered the way each shows it (Converse's {@code reasoningContent}, Anthropic's {@code
 * thinking} blocks, {@code reasoning_content}), whole and streamed, by the simulator and through both kinds of real
 * upstream: a Bedrock one (a second Meridian) and an OpenAI-compatible one (the simulator's vLLM-like server).
 */
class ReasoningIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";
    static final String EU_CLAUDE = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String NOVA = "amazon.nova-2-lite-v1:0";

    static MeridianServer gateway;
    static MeridianServer peer;
    static MeridianServer viaBedrock;
    static SimulatorHttpServer vllm;
    static MeridianServer viaOpenAi;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start();
        peer = TestGateways.start();
        viaBedrock = MeridianServer.start(TestGateways.config("routing: {maxAttempts: 10}\n")
                .withUpstreams(List.of(TestGateways.peerUpstream(peer, "eu-west-1", NOVA))));
        TestGateways.onlyIrelandUp(viaBedrock);
        var catalog = TestGateways.config("").catalog();
        vllm = SimulatorHttpServer.start(
                RegionSimulator.builder(RoundTripTimes.estimate(catalog, Map.of()))
                        .timeScale(0.01)
                        .build(),
                "eu-west-1",
                List.of("nova-lite"),
                "127.0.0.1",
                0);
        viaOpenAi = MeridianServer.start(TestGateways.config("routing: {maxAttempts: 10}\n")
                .withUpstreams(List.of(MeridianConfig.Upstream.openAi(
                        "eu-west-1",
                        NOVA,
                        URI.create("http://127.0.0.1:" + vllm.port() + "/v1"),
                        "nova-lite",
                        "upstream-key",
                        true))));
        TestGateways.onlyIrelandUp(viaOpenAi);
    }

    @AfterAll
    static void stop() {
        viaOpenAi.close();
        vllm.close();
        viaBedrock.close();
        peer.close();
        gateway.close();
    }

    static Document novaReasoning(String effort) {
        return Document.mapBuilder()
                .putDocument(
                        "reasoningConfig",
                        Document.mapBuilder()
                                .putString("type", "enabled")
                                .putString("maxReasoningEffort", effort)
                                .build())
                .build();
    }

    static Document claudeThinking(int budget) {
        return Document.mapBuilder()
                .putDocument(
                        "thinking",
                        Document.mapBuilder()
                                .putString("type", "enabled")
                                .putNumber("budget_tokens", budget)
                                .build())
                .build();
    }

    static ConverseResponse converse(MeridianServer server, Consumer<ConverseRequest.Builder> request) {
        try (BedrockRuntimeClient client = TestGateways.runtime(server, "eu-south-1")) {
            return client.converse(b -> {
                b.modelId(EU_NOVA).messages(ToolUseIT.user("Where is my data processed?"));
                request.accept(b);
            });
        }
    }

    /** The thinking and the text of a streamed answer, each assembled, and the events' order. */
    record Streamed(String thinking, String signature, String text, List<String> order) {
        static Streamed of(List<ConverseStreamOutput> events) {
            StringBuilder thinking = new StringBuilder();
            StringBuilder text = new StringBuilder();
            String signature = null;
            List<String> order = new ArrayList<>();
            for (ConverseStreamOutput e : events) {
                if (e instanceof ContentBlockDeltaEvent d && d.delta().reasoningContent() != null) {
                    var r = d.delta().reasoningContent();
                    if (r.text() != null) {
                        thinking.append(r.text());
                        order.add("thinking@" + d.contentBlockIndex());
                    } else if (r.signature() != null) {
                        signature = r.signature();
                        order.add("signature@" + d.contentBlockIndex());
                    }
                } else if (e instanceof ContentBlockDeltaEvent d && d.delta().text() != null) {
                    text.append(d.delta().text());
                    order.add("text@" + d.contentBlockIndex());
                } else if (e instanceof ContentBlockStopEvent s) {
                    order.add("stop@" + s.contentBlockIndex());
                }
            }
            return new Streamed(
                    thinking.toString(),
                    signature,
                    text.toString(),
                    order.stream().distinct().toList());
        }
    }

    /**
     * Nova's reasoningConfig: the answer's first block is the thinking, signed, then the text; the thinking counts
     * as output. Sent back unchanged in the next turn's history, it is taken.
     */
    @Test
    void converse_withNovaReasoningConfig_answersWithItsThinkingFirst_andTakesItBackInTheHistory() {
        ConverseResponse plain = converse(gateway, b -> {});
        ConverseResponse r = converse(gateway, b -> b.additionalModelRequestFields(novaReasoning("low")));
        List<ContentBlock> content = r.output().message().content();
        ReasoningTextBlock thinking = content.get(0).reasoningContent().reasoningText();
        assertThat(thinking.text()).isNotBlank();
        assertThat(thinking.signature()).isNotBlank();
        assertThat(content.get(1).text())
                .isEqualTo(plain.output().message().content().get(0).text());
        assertThat(r.usage().outputTokens()).isGreaterThan(plain.usage().outputTokens());

        ConverseResponse next = converse(
                gateway,
                b -> b.additionalModelRequestFields(novaReasoning("low"))
                        .messages(
                                ToolUseIT.user("Where is my data processed?"),
                                r.output().message(),
                                ToolUseIT.user("And the audit records?")));
        assertThat(next.output().message().content().get(0).reasoningContent()).isNotNull();
        assertThat(next.output().message().content().get(1).text()).isNotBlank();
    }

    /** Signed thinking altered on its way back is refused by the model, as Anthropic's refuse it. */
    @Test
    void alteredThinkingSentBack_isRefusedByTheModel() {
        ConverseResponse r = converse(gateway, b -> b.additionalModelRequestFields(novaReasoning("low")));
        ReasoningTextBlock thinking =
                r.output().message().content().get(0).reasoningContent().reasoningText();
        Message altered = Message.builder()
                .role(ConversationRole.ASSISTANT)
                .content(
                        ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(thinking.toBuilder()
                                .text(thinking.text() + " Or not.")
                                .build())),
                        r.output().message().content().get(1))
                .build();
        assertThatThrownBy(() -> converse(
                        viaBedrock,
                        b -> b.additionalModelRequestFields(novaReasoning("low"))
                                .messages(
                                        ToolUseIT.user("Where is my data processed?"),
                                        altered,
                                        ToolUseIT.user("And the audit records?"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("messages.1.content.0: Invalid `signature` in `thinking` block");
    }

    /** Anthropic's thinking streamed: thinking deltas, the signature, the block's end, then the text, as whole. */
    @Test
    void converseStream_withClaudeThinking_streamsTheThinkingThenItsSignatureThenTheText() throws Exception {
        Consumer<ConverseRequest.Builder> ask = b -> b.modelId(EU_CLAUDE)
                .additionalModelRequestFields(claudeThinking(2048))
                .inferenceConfig(c -> c.maxTokens(4000));
        ConverseResponse whole = converse(gateway, ask);
        Streamed s = Streamed.of(TestGateways.streamEu(
                gateway,
                "eu-south-1",
                "Where is my data processed?",
                b -> b.modelId(EU_CLAUDE)
                        .additionalModelRequestFields(claudeThinking(2048))
                        .inferenceConfig(c -> c.maxTokens(4000))));
        assertThat(s.order()).containsExactly("thinking@0", "signature@0", "stop@0", "text@1", "stop@1");
        ReasoningTextBlock thinking =
                whole.output().message().content().get(0).reasoningContent().reasoningText();
        assertThat(s.thinking()).isEqualTo(thinking.text());
        assertThat(s.signature()).isEqualTo(thinking.signature());
        assertThat(s.text()).isEqualTo(whole.output().message().content().get(1).text());
    }

    /** Anthropic's own body: {@code thinking} asks, {@code thinking} blocks answer, whole and streamed. */
    @Test
    void invokeModel_anthropicThinking_answersWithThinkingBlocks() throws Exception {
        String body = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":3000,
                 "thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":"Where is my data?"}]}""";
        JsonNode whole;
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-west-1")) {
            whole = JSON.readTree(client.invokeModel(b ->
                            b.modelId(EU_CLAUDE).contentType("application/json").body(SdkBytes.fromUtf8String(body)))
                    .body()
                    .asUtf8String());
        }
        assertThat(whole.at("/content/0/type").asText()).isEqualTo("thinking");
        assertThat(whole.at("/content/0/thinking").asText()).isNotBlank();
        assertThat(whole.at("/content/0/signature").asText()).isNotBlank();
        assertThat(whole.at("/content/1/type").asText()).isEqualTo("text");

        List<JsonNode> chunks = InvokeModelIT.streamChunks(gateway, EU_CLAUDE, body);
        assertThat(chunks.get(1).at("/content_block/type").asText()).isEqualTo("thinking");
        String thinking = chunks.stream()
                .filter(c -> c.at("/delta/type").asText().equals("thinking_delta"))
                .map(c -> c.at("/delta/thinking").asText())
                .reduce("", String::concat);
        assertThat(thinking).isEqualTo(whole.at("/content/0/thinking").asText());
        assertThat(chunks)
                .filteredOn(c -> c.at("/delta/type").asText().equals("signature_delta"))
                .singleElement()
                .satisfies(c -> assertThat(c.at("/delta/signature").asText())
                        .isEqualTo(whole.at("/content/0/signature").asText()));

        // sent back, the thinking block is taken
        String next = """
                {"anthropic_version":"bedrock-2023-05-31","max_tokens":3000,
                 "thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":"Where is my data?"},
                  {"role":"assistant","content":%s},
                  {"role":"user","content":"And the audit?"}]}""".formatted(whole.get("content").toString());
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-west-1")) {
            JsonNode second = JSON.readTree(client.invokeModel(b ->
                            b.modelId(EU_CLAUDE).contentType("application/json").body(SdkBytes.fromUtf8String(next)))
                    .body()
                    .asUtf8String());
            assertThat(second.at("/content/1/text").asText()).isNotBlank();
        }
    }

    /** OpenAI's reasoning_effort: the thinking comes back as {@code reasoning_content}, whole and in the chunks. */
    @Test
    void chatCompletion_withReasoningEffort_carriesReasoningContent() {
        var client = TestGateways.openAi(gateway, AuthSettings.DEMO_API_KEY);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(EU_NOVA)
                .addUserMessage("Where is my data processed?")
                .reasoningEffort(ReasoningEffort.LOW)
                .build();
        ChatCompletion whole = client.chat().completions().create(params);
        var message = whole.choices().get(0).message();
        String thinking =
                message._additionalProperties().get("reasoning_content").asStringOrThrow();
        assertThat(thinking).isNotBlank();
        assertThat(message.content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(c -> {
                var part = c.delta()._additionalProperties().get("reasoning_content");
                if (part != null) {
                    streamed.append(part.asStringOrThrow());
                }
            });
        }
        assertThat(streamed.toString()).isEqualTo(thinking);

        ChatCompletion none = client.chat()
                .completions()
                .create(params.toBuilder().reasoningEffort(ReasoningEffort.NONE).build());
        assertThat(none.choices().get(0).message()._additionalProperties()).doesNotContainKey("reasoning_content");
    }

    /** A Bedrock destination gets the thinking asked in its model's shape, and its signed thinking comes back. */
    @Test
    void throughABedrockUpstream_theThinkingIsAskedAndComesBackSigned() throws Exception {
        ConverseResponse r = converse(viaBedrock, b -> b.additionalModelRequestFields(novaReasoning("medium")));
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-west-1");
        ReasoningTextBlock thinking =
                r.output().message().content().get(0).reasoningContent().reasoningText();
        assertThat(thinking.text()).isNotBlank();
        assertThat(thinking.signature()).isNotBlank();
        Streamed s = Streamed.of(TestGateways.streamEu(
                viaBedrock,
                "eu-south-1",
                "Where is my data processed?",
                b -> b.additionalModelRequestFields(novaReasoning("medium"))));
        assertThat(s.thinking()).isEqualTo(thinking.text());
        assertThat(s.signature()).isEqualTo(thinking.signature());
        assertThat(s.order()).startsWith("thinking@0", "signature@0", "stop@0", "text@1");

        // the history's signed thinking reaches the peer, which takes it
        ConverseResponse next = converse(
                viaBedrock,
                b -> b.additionalModelRequestFields(novaReasoning("medium"))
                        .messages(
                                ToolUseIT.user("Where is my data processed?"),
                                r.output().message(),
                                ToolUseIT.user("And the audit records?")));
        assertThat(next.output().message().content().get(1).text()).isNotBlank();
    }

    /**
     * An OpenAI-compatible destination (vLLM-like) gets {@code reasoning_effort}, and its {@code reasoning_content}
     * comes back as Converse's reasoningContent (unsigned: such servers sign nothing) or as itself.
     */
    @Test
    void throughAnOpenAiCompatibleUpstream_theThinkingIsAskedAndComesBack() throws Exception {
        ConverseResponse r = converse(viaOpenAi, b -> b.additionalModelRequestFields(claudeThinking(1024)));
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-west-1");
        ReasoningTextBlock thinking =
                r.output().message().content().get(0).reasoningContent().reasoningText();
        assertThat(thinking.text()).isNotBlank();
        assertThat(thinking.signature()).isNull();
        Streamed s = Streamed.of(TestGateways.streamEu(
                viaOpenAi,
                "eu-south-1",
                "Where is my data processed?",
                b -> b.additionalModelRequestFields(claudeThinking(1024))));
        assertThat(s.thinking()).isEqualTo(thinking.text());
        assertThat(s.order()).startsWith("thinking@0", "stop@0", "text@1");
        assertThat(s.text()).isEqualTo(r.output().message().content().get(1).text());

        var client = TestGateways.openAi(viaOpenAi, AuthSettings.DEMO_API_KEY);
        ChatCompletion c = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(EU_NOVA)
                        .addUserMessage("Where is my data processed?")
                        .reasoningEffort(ReasoningEffort.HIGH)
                        .build());
        assertThat(c.choices()
                        .get(0)
                        .message()
                        ._additionalProperties()
                        .get("reasoning_content")
                        .asStringOrThrow())
                .isNotBlank();
    }

    /** Thinking asked wrongly is refused in each surface's words, naming what is wrong. */
    @Test
    void thinkingAskedWrongly_isRefusedNamingTheField() {
        assertThatThrownBy(() -> converse(gateway, b -> b.additionalModelRequestFields(claudeThinking(512))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("additionalModelRequestFields.thinking.budget_tokens");
        assertThatThrownBy(() -> converse(
                        gateway,
                        b -> b.additionalModelRequestFields(claudeThinking(2048))
                                .inferenceConfig(c -> c.maxTokens(1500))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("must be less than inferenceConfig.maxTokens (1500)");
        assertThatThrownBy(() -> converse(gateway, b -> b.additionalModelRequestFields(novaReasoning("extreme"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxReasoningEffort");
        assertThatThrownBy(() -> converse(
                        gateway,
                        b -> b.additionalModelRequestFields(Document.mapBuilder()
                                .putDocument(
                                        "thinking", claudeThinking(2048).asMap().get("thinking"))
                                .putDocument(
                                        "reasoningConfig",
                                        novaReasoning("low").asMap().get("reasoningConfig"))
                                .build())))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("set one of them");
        assertThatThrownBy(() -> converse(
                        gateway,
                        b -> b.messages(Message.builder()
                                .role(ConversationRole.USER)
                                .content(
                                        ContentBlock.fromText("Hello"),
                                        ContentBlock.fromReasoningContent(
                                                ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder()
                                                        .text("mine")
                                                        .build())))
                                .build())))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("reasoningContent can only be sent in assistant messages");
        var client = TestGateways.openAi(gateway, AuthSettings.DEMO_API_KEY);
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model(EU_NOVA)
                                .addUserMessage("Hello")
                                .reasoningEffort(ReasoningEffort.of("turbo"))
                                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("Invalid value: 'turbo'");
                    assertThat(e.param()).contains("reasoning_effort");
                });
    }
}
