package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * What Bedrock's invocation options do here, through the AWS SDK for Java: Converse's structured output
 * ({@code outputConfig}) is honoured; the latency hint, service tier and trace switch are accepted with Bedrock's
 * values and refused with others; InvokeModel's guardrail headers are refused. Each was accepted and ignored
 * before, whatever its value: a caller asking for JSON got prose, and one asking for a guardrail got none.
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

    private static void converse(Consumer<ConverseRequest.Builder> options) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            client.converse(b -> {
                b.modelId(EU_NOVA).messages(ToolUseIT.user("Weather in Lyon?"));
                options.accept(b);
            });
        }
    }

    private static void invoke(Consumer<InvokeModelRequest.Builder> options) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            client.invokeModel(b -> {
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

    /** A guardrail filters what reaches and leaves the model; serving the request without it would be unsafe. */
    @Test
    void invokeModel_guardrail_isRefusedNotSkipped() {
        assertThatThrownBy(() -> invoke(b -> b.guardrailIdentifier("pii-filter").guardrailVersion("1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'X-Amzn-Bedrock-GuardrailIdentifier' is not supported by this gateway yet: no"
                        + " guardrail would be applied");
    }
}
