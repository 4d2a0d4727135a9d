package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.ToolChoiceOptions;
import dev.meridian.server.auth.AuthSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) through the official OpenAI Java SDK: whole and streamed
 * answers (the SDK's own accumulator rebuilding the response from the events), a function call carried back by the
 * caller (nothing is stored), structured output, and the refusal of what needs stored state.
 */
class ResponsesApiIT {
    private static final String NOVA = "eu.amazon.nova-2-lite-v1:0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static OpenAIClient client() {
        return TestGateways.openAi(gateway.server(), AuthSettings.DEMO_API_KEY);
    }

    private static String text(Response r) {
        return r.output().stream()
                .flatMap(item -> item.message().stream())
                .flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream())
                .map(t -> t.text())
                .reduce("", String::concat);
    }

    @Test
    void response_euProfile_answersFromAnEuMemberRegion() {
        HttpResponseFor<Response> raw = client().responses()
                .withRawResponse()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .instructions("Be brief.")
                        .input("Where is my data processed?")
                        .build());
        Response response = raw.parse();

        assertThat(raw.headers().values("x-meridian-inference-region"))
                .singleElement()
                .satisfies(region -> assertThat(region).isIn(ConverseIT.EU_MEMBERS));
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(response)).isNotBlank();
        assertThat(response.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(response.instructions()).isPresent();
        assertThat(response.id()).startsWith("resp_");
    }

    @Test
    void response_isAuditedInTheKeysSourceRegion_withWhereItWasProcessed_andNoContent() throws Exception {
        HttpResponseFor<Response> raw = client().responses()
                .withRawResponse()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .input("My IBAN is DE89370400440532013000.")
                        .build());
        String requestId = raw.headers().values("x-amzn-RequestId").get(0);
        String processedIn = raw.headers().values("x-meridian-inference-region").get(0);
        raw.parse();

        JsonNode record = TestGateways.auditRecord(gateway.server(), "eu-central-1", "CreateResponse", requestId);
        assertThat(record.at("/additionalEventData/inferenceRegion").asText()).isEqualTo(processedIn);
        assertThat(record.at("/requestParameters/modelId").asText()).isEqualTo(NOVA);
        assertThat(record.toString()).doesNotContain("DE89");
    }

    @Test
    void response_atTheOutputLimit_isIncompleteAndSaysWhy() {
        Response response = client().responses()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .input("Tell me a long story.")
                        .maxOutputTokens(3)
                        .build());

        assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
        assertThat(response.incompleteDetails().orElseThrow().reason())
                .contains(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(3);
    }

    @Test
    void response_streamed_theSdksAccumulatorRebuildsTheWholeAnswer() {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        StringBuilder deltas = new StringBuilder();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client().responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model(NOVA)
                        .input("Stream please")
                        .build())) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
                events.add(event);
            });
        }
        Response response = accumulator.response();

        assertThat(deltas).isNotEmpty();
        assertThat(text(response)).isEqualTo(deltas.toString());
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.usage().orElseThrow().outputTokens()).isPositive();
        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    }

    @Test
    void functionCall_isAnsweredByTheCallersOutput_inTheNextRequest() {
        FunctionTool weather = FunctionTool.builder()
                .name("get_weather")
                .description("The weather in a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .strict(false)
                .build();
        ResponseInputItem question =
                ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                        .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                        .content("What is the weather in Paris?")
                        .build());
        Response first = client().responses()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .inputOfResponse(List.of(question))
                        .addTool(weather)
                        .toolChoice(ToolChoiceOptions.REQUIRED)
                        .build());
        ResponseFunctionToolCall call = first.output().stream()
                .flatMap(item -> item.functionCall().stream())
                .findFirst()
                .orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).contains("\"city\"");

        List<ResponseInputItem> conversation = new ArrayList<>();
        conversation.add(question);
        for (ResponseOutputItem item : first.output()) {
            item.functionCall().ifPresent(c -> conversation.add(ResponseInputItem.ofFunctionCall(c)));
        }
        conversation.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("Sunny, 21 degrees.")
                .build()));
        Response second = client().responses()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .inputOfResponse(conversation)
                        .addTool(weather)
                        .build());

        assertThat(second.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(second)).isNotBlank();
        assertThat(second.output())
                .noneSatisfy(item -> assertThat(item.isFunctionCall()).isTrue());
    }

    /**
     * Claude's signed thinking carried by a caller that keeps the conversation itself: asked with {@code include:
     * reasoning.encrypted_content} (and a summary, streamed), the reasoning item carries the signature, and sent back with the function call's
     * output it reaches the model as signed thinking, which the simulated Claude verifies as Anthropic's does.
     */
    @Test
    void signedThinking_isSentBackInEncryptedContent_andAlteredThinkingIsRefusedByTheModel() {
        ResponseInputItem question =
                ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                        .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                        .content("What is the weather in Paris?")
                        .build());
        FunctionTool weather = FunctionTool.builder()
                .name("get_weather")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .build())
                .strict(false)
                .build();
        ResponseCreateParams.Builder ask = ResponseCreateParams.builder()
                .model(ReasoningIT.EU_CLAUDE)
                .maxOutputTokens(2000)
                .reasoning(com.openai.models.Reasoning.builder()
                        .effort(com.openai.models.ReasoningEffort.HIGH)
                        .summary(com.openai.models.Reasoning.Summary.AUTO)
                        .build())
                .addInclude(ResponseIncludable.REASONING_ENCRYPTED_CONTENT)
                .addTool(weather);
        ResponseAccumulator streamed = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = client().responses()
                .createStreaming(ask.inputOfResponse(List.of(question))
                        .toolChoice(ToolChoiceOptions.REQUIRED)
                        .build())) {
            stream.stream().forEach(streamed::accumulate);
        }
        Response first = streamed.response();
        ResponseReasoningItem thinking = first.output().get(0).reasoning().orElseThrow();
        assertThat(thinking.summary())
                .singleElement()
                .satisfies(s -> assertThat(s.text())
                        .isEqualTo(thinking.content().orElseThrow().get(0).text()));
        assertThat(thinking.encryptedContent())
                .hasValueSatisfying(proof -> assertThat(proof).startsWith("signature:"));
        assertThat(thinking.content().orElseThrow())
                .singleElement()
                .satisfies(c -> assertThat(c.text()).isNotBlank());
        ResponseFunctionToolCall call = first.output().stream()
                .flatMap(i -> i.functionCall().stream())
                .findFirst()
                .orElseThrow();

        Response second = client().responses()
                .create(ask.inputOfResponse(afterCall(question, thinking, call))
                        .toolChoice(ToolChoiceOptions.AUTO)
                        .build());
        ResponseReasoningItem altered = thinking.toBuilder()
                .content(List.of(ResponseReasoningItem.Content.builder()
                        .text("I should not check the weather.")
                        .build()))
                .build();

        assertThat(second.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(second)).isNotBlank();
        assertThatThrownBy(() -> client().responses()
                        .create(ask.inputOfResponse(afterCall(question, altered, call))
                                .build()))
                .isInstanceOfSatisfying(
                        BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("Invalid `signature` in `thinking` block"));
    }

    private static List<ResponseInputItem> afterCall(
            ResponseInputItem question, ResponseReasoningItem thinking, ResponseFunctionToolCall call) {
        return List.of(
                question,
                ResponseInputItem.ofReasoning(thinking),
                ResponseInputItem.ofFunctionCall(call),
                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId())
                        .output("Sunny, 21 degrees.")
                        .build()));
    }

    /** The SDK's structured output: the simulator answers an instance of the class's schema. */
    public static class Weather {
        public String city;
        public int high;
    }

    @Test
    void structuredOutput_theSdkParsesTheAnswerIntoItsClass() {
        StructuredResponse<Weather> response = client().responses()
                .create(ResponseCreateParams.builder()
                        .model(NOVA)
                        .input("The weather in Oslo, as JSON.")
                        .text(Weather.class)
                        .build());

        Weather weather = response.output().stream()
                .flatMap(item -> item.message().stream())
                .flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream())
                .findFirst()
                .orElseThrow();
        assertThat(weather.city).isNotNull();
    }

    @Test
    void previousResponseId_isRefusedNamingIt_nothingIsStored() {
        assertThatThrownBy(() -> client().responses()
                        .create(ResponseCreateParams.builder()
                                .model(NOVA)
                                .input("And then?")
                                .previousResponseId("resp_123")
                                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("previous_response_id");
                    assertThat(e.getMessage()).contains("stores no responses");
                });
    }

    @Test
    void functionCallOutput_withoutItsCall_isRefused() {
        assertThatThrownBy(() -> client().responses()
                        .create(ResponseCreateParams.builder()
                                .model(NOVA)
                                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
                                        ResponseInputItem.FunctionCallOutput.builder()
                                                .callId("call_1")
                                                .output("42")
                                                .build())))
                                .build()))
                .isInstanceOfSatisfying(
                        BadRequestException.class,
                        e -> assertThat(e.getMessage())
                                .contains("No tool call found for function call output with call_id call_1"));
    }
}
