package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.config.MeridianConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;

/**
 * The Bedrock provider (AWS SDK for Java v2 async client) pointed at a second Meridian standing in for Amazon
 * Bedrock in eu-west-1: gateway A routes the EU profile to eu-west-1, where B processes it as an in-region call.
 */
class BedrockUpstreamIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static MeridianServer peer;
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        peer = TestGateways.start();
        MeridianConfig config = TestGateways.config("routing: {maxAttempts: 10}\n")
                .withUpstreams(List.of(TestGateways.peerUpstream(peer, "eu-west-1", NOVA)));
        gateway = MeridianServer.start(config);
        TestGateways.onlyIrelandUp(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        peer.close();
    }

    static ConverseResponse converse(String text, Tool... tools) {
        return TestGateways.converseEu(gateway, "eu-south-1", text, tools);
    }

    @Test
    void converse_isProcessedByThePeerInTheDestinationRegion() {
        long peerBefore = peer.wiring().simulator().processedIn("eu-west-1");
        long localBefore = gateway.wiring().simulator().processedIn("eu-west-1");
        ConverseResponse r = converse("via the peer");
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-west-1");
        assertThat(r.output().message().content().get(0).text()).isNotBlank();
        assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(peerBefore + 1);
        assertThat(gateway.wiring().simulator().processedIn("eu-west-1")).isEqualTo(localBefore);
    }

    @Test
    void converseStream_isRelayedFromThePeer() throws Exception {
        List<ConverseStreamOutput> events = TestGateways.streamEu(gateway, "eu-south-1", "stream via the peer");
        assertThat(events).anyMatch(e -> e instanceof ContentBlockDeltaEvent);
        assertThat(events.get(events.size() - 1).sdkEventType().toString()).isEqualTo("metadata");
    }

    @Test
    void toolUse_roundTripsThroughTheSdkModel() {
        Tool weather = TestGateways.weatherTool();
        ConverseResponse r = converse("Weather in Cork?", weather);
        assertThat(r.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(r.output().message().content())
                .anySatisfy(b -> assertThat(b.toolUse()).isNotNull());
    }

    /** Structured output reaches a Bedrock upstream as Bedrock's own outputConfig (it was refused before). */
    @Test
    void structuredOutput_isPassedToThePeer() throws Exception {
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            var r = client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(ToolUseIT.user("Weather in Cork?"))
                    .outputConfig(InvocationOptionsIT.weatherOutput(InvocationOptionsIT.WEATHER_SCHEMA)));
            assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                    .hasValue("eu-west-1");
            InvocationOptionsIT.assertWeather(
                    r.output().message().content().get(0).text());
        }
    }

    /**
     * A top-k limit reaches a Bedrock upstream in Nova's own additionalModelRequestFields, which the peer reads
     * (before, the limit was dropped on the way, and a peer refused the field).
     */
    @Test
    void topK_isPassedToThePeerInTheModelsShape() {
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            var r = client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(ToolUseIT.user("Weather in Cork?"))
                    .additionalModelRequestFields(software.amazon.awssdk.core.document.Document.mapBuilder()
                            .putDocument(
                                    "inferenceConfig",
                                    software.amazon.awssdk.core.document.Document.mapBuilder()
                                            .putNumber("topK", 5)
                                            .build())
                            .build()));
            assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                    .hasValue("eu-west-1");
            assertThat(r.output().message().content().get(0).text()).isNotBlank();
        }
    }

    /** A document reaches a Bedrock upstream as Bedrock's own DocumentBlock, counted there as input. */
    @Test
    void aDocument_isPassedToThePeer() {
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            var r = DocumentInputIT.converse(
                    client,
                    DocumentInputIT.document(
                            software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat.PDF,
                            "Contract",
                            new byte[4000]));
            assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                    .hasValue("eu-west-1");
            assertThat(r.usage().inputTokens()).isGreaterThanOrEqualTo(1000); // the peer counted the PDF
        }
    }

    /** CountTokens reaches a Bedrock upstream as Bedrock's own CountTokens: the peer counts, as it would charge. */
    @Test
    void countTokens_isCountedByThePeer() {
        String text = "Count me in Ireland";
        int charged = converse(text).usage().inputTokens();
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            var counted = client.countTokens(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .input(i -> i.converse(c -> c.messages(ToolUseIT.user(text)))));
            assertThat(counted.inputTokens()).isEqualTo(charged);
            assertThat(counted.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                    .hasValue("eu-west-1");
            peer.wiring().simulator().setDown("eu-west-1", true);
            assertThatThrownBy(() -> client.countTokens(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                            .input(i -> i.converse(c -> c.messages(ToolUseIT.user(text))))))
                    .as("counted by the peer, not by the gateway's own simulator")
                    .isInstanceOf(ServiceUnavailableException.class);
        } finally {
            peer.wiring().simulator().setDown("eu-west-1", false);
        }
    }

    /**
     * Converse has no tool choice "none". A first turn reaches the peer without the tools, so it answers in text (with
     * them it would call one); once the conversation holds tool use Bedrock needs the tools, which would let the
     * model call one, so the Bedrock destination passes the request by (no tool call the caller forbade), to an
     * allowed region that can forbid it when one is up, else a 503 naming why.
     */
    @Test
    void toolChoiceNone_reachesThePeerWithoutTools_andIsRefusedOnceTheConversationUsedOne() {
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var offered = OpenAiSdkIT.askWithWeatherTool("eu.amazon.nova-2-lite-v1:0");
        long peerBefore = peer.wiring().simulator().processedIn("eu-west-1");

        var call = client.chat()
                .completions()
                .create(offered.build())
                .choices()
                .get(0)
                .message();
        assertThat(call.toolCalls())
                .hasValueSatisfying(calls -> assertThat(calls).hasSize(1));
        var none = com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.NONE;
        var text = client.chat()
                .completions()
                .create(offered.build().toBuilder().toolChoice(none).build())
                .choices()
                .get(0);
        assertThat(text.finishReason())
                .isEqualTo(com.openai.models.chat.completions.ChatCompletion.Choice.FinishReason.STOP);
        assertThat(text.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(peerBefore + 2);

        var afterTheCall = offered.build().toBuilder()
                .addMessage(call)
                .addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.toolCalls()
                                .orElseThrow()
                                .get(0)
                                .asFunction()
                                .id())
                        .content("18 C and sunny")
                        .build())
                .toolChoice(none)
                .build();
        assertThatThrownBy(() -> client.chat().completions().create(afterTheCall))
                .isInstanceOf(com.openai.errors.InternalServerException.class)
                .hasMessageContaining("503")
                .hasMessageContaining("eu-west-1 (unsupported: Bedrock's Converse cannot forbid tool calls");
        assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(peerBefore + 2);

        gateway.wiring().simulator().setDown("eu-central-1", false);
        try {
            var served = client.chat().completions().withRawResponse().create(afterTheCall);
            assertThat(served.headers().values("x-meridian-inference-region")).containsExactly("eu-central-1");
            assertThat(served.parse().choices().get(0).message().content()).isPresent();
        } finally {
            gateway.wiring().simulator().setDown("eu-central-1", true);
        }
    }

    /**
     * Converse has no frequency or presence penalty, no temperature above 1, no JSON output without a schema, no
     * token log probabilities and no logit bias: such
     * a request passes the Bedrock destination by (its answer would not be what was asked, or the peer would refuse
     * it) instead of reaching it altered; a seed, best effort by definition, is left out and the request served.
     */
    @Test
    void whatConverseCannotCarry_passesTheBedrockDestinationBy_aSeedDoesNot() {
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var ask = OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0");
        long peerBefore = peer.wiring().simulator().processedIn("eu-west-1");
        Map<String, ChatCompletionCreateParams> passedBy = Map.of(
                "takes no frequency or presence penalty",
                ask.toBuilder().presencePenalty(0.4).build(),
                "takes a temperature of at most 1", // OpenAI's go to 2: the peer would refuse it, failing the call
                ask.toBuilder().temperature(1.5).build(),
                "reports no token log probabilities",
                ask.toBuilder().logprobs(true).build(),
                "takes no logit bias", // its token ids are a tokenizer's Converse does not expose
                ask.toBuilder()
                        .logitBias(ChatCompletionCreateParams.LogitBias.builder()
                                .putAdditionalProperty("15339", com.openai.core.JsonValue.from(-100))
                                .build())
                        .build(),
                "takes a json_schema output format only",
                ask.toBuilder()
                        .responseFormat(com.openai.models.ResponseFormatJsonObject.builder()
                                .build())
                        .build(),
                "takes a conversation that starts with a user message only", // OpenAI takes a system prompt alone
                ChatCompletionCreateParams.builder()
                        .model("eu.amazon.nova-2-lite-v1:0")
                        .addSystemMessage("Be brief.")
                        .build());
        passedBy.forEach((reason, params) -> assertThatThrownBy(
                        () -> client.chat().completions().create(params))
                .isInstanceOf(com.openai.errors.InternalServerException.class)
                .hasMessageContaining("eu-west-1 (unsupported: Bedrock's Converse " + reason));
        var seeded = client.chat()
                .completions()
                .withRawResponse()
                .create(ask.toBuilder()
                        .seed(7)
                        .frequencyPenalty(0.0)
                        .logprobs(false)
                        .build());
        assertThat(seeded.headers().values("x-meridian-inference-region")).containsExactly("eu-west-1");
        assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(peerBefore + 1);
    }

    /**
     * Converse says that a stop sequence ended generation, not which; with one asked, the caller's
     * {@code /stop_sequence} field names it (whole and streamed), with several it stays unknown (null).
     */
    @Test
    void theStopSequenceThatEndedGeneration_isNamedWhenItIsTheOnlyOneAsked() throws Exception {
        String full =
                converse("Weather in Lyon?").output().message().content().get(0).text();
        String stop = full.substring(8, 12);
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            ConverseResponse one = client.converse(b -> b.modelId("eu." + NOVA)
                    .messages(ToolUseIT.user("Weather in Lyon?"))
                    .inferenceConfig(c -> c.stopSequences(stop))
                    .additionalModelResponseFieldPaths("/stop_sequence"));
            assertThat(one.stopReasonAsString()).isEqualTo("stop_sequence");
            assertThat(one.additionalModelResponseFields()
                            .asMap()
                            .get("stop_sequence")
                            .asString())
                    .isEqualTo(stop);
            ConverseResponse two = client.converse(b -> b.modelId("eu." + NOVA)
                    .messages(ToolUseIT.user("Weather in Lyon?"))
                    .inferenceConfig(c -> c.stopSequences("never", stop))
                    .additionalModelResponseFieldPaths("/stop_sequence"));
            assertThat(two.stopReasonAsString()).isEqualTo("stop_sequence");
            assertThat(two.additionalModelResponseFields()
                            .asMap()
                            .get("stop_sequence")
                            .isNull())
                    .isTrue();
        }
        List<ConverseStreamOutput> events = TestGateways.streamEu(
                gateway,
                "eu-south-1",
                "Weather in Lyon?",
                b -> b.inferenceConfig(c -> c.stopSequences(stop)).additionalModelResponseFieldPaths("/stop_sequence"));
        var stopEvent = events.stream()
                .filter(software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent.class::isInstance)
                .map(software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(stopEvent
                        .additionalModelResponseFields()
                        .asMap()
                        .get("stop_sequence")
                        .asString())
                .isEqualTo(stop);
    }

    /** An OpenAI caller's empty stop sequence stops nothing, so it does not reach Converse, which refuses one. */
    @Test
    void anEmptyStopSequence_isNotSentToConverse() {
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var answer = client.chat()
                .completions()
                .withRawResponse()
                .create(OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .stopOfStrings(List.of(""))
                        .build());
        assertThat(answer.headers().values("x-meridian-inference-region")).containsExactly("eu-west-1");
        assertThat(answer.parse().choices().get(0).message().content())
                .hasValueSatisfying(t -> assertThat(t).isNotBlank());
    }

    @Test
    void peerRegionDown_isServiceUnavailableNamingTheTrail() {
        peer.wiring().simulator().setDown("eu-west-1", true);
        try {
            assertThatThrownBy(() -> converse("nobody"))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("eu-west-1 (server error: upstream answered 503")
                    .hasMessageNotContaining("127.0.0.1");
        } finally {
            peer.wiring().simulator().setDown("eu-west-1", false);
        }
    }
}
