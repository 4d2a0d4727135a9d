package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfigLatency;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTierType;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * What Bedrock's invocation options do here, through the AWS SDK for Java: Converse's structured output
 * ({@code outputConfig}) is honoured; the latency hint, service tier and trace switch are accepted with Bedrock's
 * values and refused with others, and answers say how they were served; InvokeModel's guardrail headers are
 * refused. Each was accepted and ignored before, whatever its value: a caller asking for JSON got prose, and one
 * asking for a guardrail got none.
 */
class InvocationOptionsIT {
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";
    static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"required\":[\"city\",\"days\"],\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}}}";
    static final String NOVA_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static OutputConfig weatherOutput(String schema) {
        return OutputConfig.builder()
                .textFormat(f -> f.type(OutputFormatType.JSON_SCHEMA)
                        .structure(s -> s.jsonSchema(j -> j.name("weather").schema(schema))))
                .build();
    }

    static void assertWeather(String text) throws Exception {
        JsonNode answer = JSON.readTree(text);
        assertThat(answer.get("city").isTextual()).as(text).isTrue();
        assertThat(answer.get("days").asInt()).as(text).isBetween(1, 7);
        assertThat(answer.size()).as(text).isEqualTo(2);
    }

    private static ConverseResponse converse(Consumer<ConverseRequest.Builder> options) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            return client.converse(b -> {
                b.modelId(EU_NOVA).messages(ToolUseIT.user("Weather in Lyon?"));
                options.accept(b);
            });
        }
    }

    private static InvokeModelResponse invoke(Consumer<InvokeModelRequest.Builder> options) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            return client.invokeModel(b -> {
                b.modelId(EU_NOVA).contentType("application/json").body(SdkBytes.fromUtf8String(NOVA_BODY));
                options.accept(b);
            });
        }
    }

    @Test
    void converse_outputConfig_answersAnInstanceOfTheSchema() throws Exception {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            var r = client.converse(b -> b.modelId(EU_NOVA)
                    .messages(ToolUseIT.user("Weather in Lyon?"))
                    .outputConfig(weatherOutput(WEATHER_SCHEMA)));
            assertWeather(r.output().message().content().get(0).text());
        }
    }

    @Test
    void converseStream_outputConfig_streamsAnInstanceOfTheSchema() throws Exception {
        List<ConverseStreamOutput> events = TestGateways.streamEu(
                gateway.server(),
                "eu-west-1",
                "Weather in Nantes?",
                b -> b.outputConfig(weatherOutput(WEATHER_SCHEMA)));
        String text = events.stream()
                .filter(e -> e instanceof ContentBlockDeltaEvent)
                .map(e -> ((ContentBlockDeltaEvent) e).delta().text())
                .reduce("", String::concat);
        assertWeather(text);
    }

    @Test
    void converse_outputConfigThatIsNotASchema_isValidationException() {
        assertThatThrownBy(() -> converse(b -> b.outputConfig(weatherOutput("{\"type\": "))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "outputConfig.textFormat.structure.jsonSchema.schema must be a JSON schema: a JSON object");
        assertThatThrownBy(() -> converse(b -> b.outputConfig(o ->
                        o.textFormat(f -> f.type("xml").structure(s -> s.jsonSchema(j -> j.schema(WEATHER_SCHEMA)))))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'xml' at 'outputConfig.textFormat.type' failed to satisfy constraint");
    }

    @ParameterizedTest
    @ValueSource(strings = {"priority", "default", "flex", "reserved"})
    void converse_serviceTier_acceptsBedrocksTiers(String tier) {
        converse(b -> b.serviceTier(t -> t.type(tier)));
    }

    @Test
    void converse_unknownServiceTier_isValidationException() {
        assertThatThrownBy(() -> converse(b -> b.serviceTier(t -> t.type("gold"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value \"gold\" at 'serviceTier.type' failed to satisfy constraint: Member must"
                        + " satisfy enum value set: [priority, default, flex, reserved]");
    }

    @Test
    void invokeModel_validOptionHeaders_areAccepted() {
        invoke(b -> b.performanceConfigLatency("optimized").serviceTier("flex").trace("ENABLED"));
    }

    @Test
    void invokeModel_optionHeadersOutsideBedrocksValues_areValidationExceptions() {
        assertThatThrownBy(() -> invoke(b -> b.performanceConfigLatency("fastest")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'fastest' at 'performanceConfigLatency' failed to satisfy constraint");
        assertThatThrownBy(() -> invoke(b -> b.serviceTier("gold")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'gold' at 'serviceTier'");
        assertThatThrownBy(() -> invoke(b -> b.trace("ON")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'ON' at 'trace'");
    }

    /** Asked for a lower latency or another tier, the caller is told what it got: standard latency, default tier. */
    @Test
    void converse_latencyAndTierAsked_answerSaysHowTheyWereServed() {
        ConverseResponse r = converse(b -> b.performanceConfig(c -> c.latency(PerformanceConfigLatency.OPTIMIZED))
                .serviceTier(t -> t.type(ServiceTierType.PRIORITY)));
        assertThat(r.performanceConfig().latency()).isEqualTo(PerformanceConfigLatency.STANDARD);
        assertThat(r.serviceTier().type()).isEqualTo(ServiceTierType.DEFAULT);

        ConverseResponse plain = converse(b -> {});
        assertThat(plain.performanceConfig()).as("not asked, not reported").isNull();
        assertThat(plain.serviceTier()).isNull();
    }

    @Test
    void converseStream_latencyAndTierAsked_metadataSaysHowTheyWereServed() throws Exception {
        List<ConverseStreamOutput> events = TestGateways.streamEu(
                gateway.server(),
                "eu-west-1",
                "Hi",
                b -> b.performanceConfig(c -> c.latency(PerformanceConfigLatency.OPTIMIZED))
                        .serviceTier(t -> t.type(ServiceTierType.FLEX)));
        ConverseStreamMetadataEvent metadata = events.stream()
                .filter(ConverseStreamMetadataEvent.class::isInstance)
                .map(ConverseStreamMetadataEvent.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(metadata.performanceConfig().latency()).isEqualTo(PerformanceConfigLatency.STANDARD);
        assertThat(metadata.serviceTier().type()).isEqualTo(ServiceTierType.DEFAULT);
    }

    /**
     * {@code additionalModelResponseFieldPaths: ["/stop_sequence"]}, Bedrock's documented example, names the stop
     * sequence that ended generation in {@code additionalModelResponseFields}, whole and in the stream's stop event
     * (the field was refused); null when the turn ended otherwise. Any other path is refused, not ignored.
     */
    @Test
    void converse_stopSequenceResponseField_namesTheSequenceThatEndedGeneration() throws Exception {
        String full = converse(b -> {}).output().message().content().get(0).text();
        String stop = full.substring(8, 12);
        ConverseResponse cut = converse(b -> b.inferenceConfig(c -> c.stopSequences("never", stop))
                .additionalModelResponseFieldPaths("/stop_sequence"));
        assertThat(cut.additionalModelResponseFields()
                        .asMap()
                        .get("stop_sequence")
                        .asString())
                .isEqualTo(stop);
        ConverseResponse ended = converse(b -> b.additionalModelResponseFieldPaths("/stop_sequence"));
        assertThat(ended.additionalModelResponseFields()
                        .asMap()
                        .get("stop_sequence")
                        .isNull())
                .isTrue();
        assertThat(converse(b -> {}).additionalModelResponseFields())
                .as("not asked, not answered")
                .isNull();

        List<ConverseStreamOutput> events = TestGateways.streamEu(
                gateway.server(),
                "eu-west-1",
                "Weather in Lyon?",
                b -> b.inferenceConfig(c -> c.stopSequences("never", stop))
                        .additionalModelResponseFieldPaths("/stop_sequence"));
        MessageStopEvent stopEvent = events.stream()
                .filter(MessageStopEvent.class::isInstance)
                .map(MessageStopEvent.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(stopEvent.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(stopEvent
                        .additionalModelResponseFields()
                        .asMap()
                        .get("stop_sequence")
                        .asString())
                .isEqualTo(stop);

        assertThatThrownBy(() -> converse(b -> b.additionalModelResponseFieldPaths("/stop_sequence", "/usage/x")))
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage())
                                .contains("'/usage/x' is not supported by this gateway yet"));
    }

    @Test
    void invokeModel_latencyAndTierAsked_headersSayHowTheyWereServed() {
        InvokeModelResponse r =
                invoke(b -> b.performanceConfigLatency("optimized").serviceTier("priority"));
        assertThat(r.performanceConfigLatency()).isEqualTo(PerformanceConfigLatency.STANDARD);
        assertThat(r.serviceTier()).isEqualTo(ServiceTierType.DEFAULT);

        InvokeModelResponse plain = invoke(b -> {});
        assertThat(plain.performanceConfigLatency()).isNull();
        assertThat(plain.serviceTier()).isNull();
    }

    @Test
    void invokeModelWithResponseStream_tierAsked_headersSayHowItWasServed() throws Exception {
        AtomicReference<InvokeModelWithResponseStreamResponse> response = new AtomicReference<>();
        try (var client = TestGateways.runtimeAsync(gateway.server(), "eu-west-1")) {
            client.invokeModelWithResponseStream(
                            b -> b.modelId(EU_NOVA)
                                    .contentType("application/json")
                                    .serviceTier("flex")
                                    .body(SdkBytes.fromUtf8String(NOVA_BODY)),
                            InvokeModelWithResponseStreamResponseHandler.builder()
                                    .onResponse(response::set)
                                    .subscriber(e -> {})
                                    .build())
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(response.get().serviceTier()).isEqualTo(ServiceTierType.DEFAULT);
        assertThat(response.get().performanceConfigLatency()).as("not asked").isNull();
    }

    /** A guardrail filters what reaches and leaves the model; serving the request without it would be unsafe. */
    @Test
    void invokeModel_guardrail_isRefusedNotSkipped() {
        assertThatThrownBy(() -> invoke(b -> b.guardrailIdentifier("pii-filter").guardrailVersion("1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'X-Amzn-Bedrock-GuardrailIdentifier' is not supported by this gateway yet: no"
                        + " guardrail would be applied");
    }
}
