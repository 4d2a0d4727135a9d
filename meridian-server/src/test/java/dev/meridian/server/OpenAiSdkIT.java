package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.models.Model;
import dev.meridian.server.auth.AuthSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAI surface through the official OpenAI Java SDK; the demo API key's source region is eu-central-1. */
class OpenAiSdkIT {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static OpenAIClient client(String key) {
        return TestGateways.openAi(gateway.server(), key);
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("Be brief.")
                .addUserMessage("Where is my data processed?")
                .build();
    }

    /**
     * Under {@code /openai/v1}, as Bedrock's OpenAI-compatible endpoint serves it (the SDKs' Bedrock clients, driven
     * in the Python and JavaScript suites), the same API, audited in the key's source region the same way.
     */
    @Test
    void chatCompletion_underBedrocksOpenAiPath_isTheSameApi_auditedTheSameWay() throws Exception {
        OpenAIClient bedrock = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .baseUrl(gateway.server().endpoint() + "/openai/v1")
                .apiKey(AuthSettings.DEMO_API_KEY)
                .maxRetries(0)
                .build();
        HttpResponseFor<ChatCompletion> raw =
                bedrock.chat().completions().withRawResponse().create(ask("eu.amazon.nova-2-lite-v1:0"));
        raw.parse();

        var record = TestGateways.auditRecord(
                gateway.server(),
                "eu-central-1",
                "CreateChatCompletion",
                raw.headers().values("x-amzn-RequestId").get(0));
        assertThat(record.at("/additionalEventData/inferenceRegion").asText())
                .isEqualTo(raw.headers().values("x-meridian-inference-region").get(0));
        assertThatThrownBy(() -> bedrock.chat().completions().create(ask("eu.amazon.none")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void chatCompletion_euProfile_answersFromAnEuMemberRegion() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(ask("eu.amazon.nova-2-lite-v1:0"));
        ChatCompletion completion = raw.parse();

        assertThat(raw.headers().values("x-meridian-inference-region"))
                .singleElement()
                .satisfies(region -> assertThat(region).isIn(ConverseIT.EU_MEMBERS));
        assertThat(completion.choices().get(0).message().content())
                .hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(completion.model()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
    }

    @Test
    void chatCompletion_streamed_deliversChunksThenUsage() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionCreateParams params = ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream()
                .flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream())
                .reduce("", String::concat);
        assertThat(text).isNotBlank();
        assertThat(chunks)
                .anySatisfy(c -> assertThat(c.choices())
                        .anySatisfy(ch -> assertThat(ch.finishReason()).isPresent()));
        assertThat(chunks.get(chunks.size() - 1).usage())
                .hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    }

    /** {@link #ask} with a {@code get_weather} function offered. */
    static ChatCompletionCreateParams.Builder askWithWeatherTool(String model) {
        return ask(model).toBuilder()
                .addTool(com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
                        .function(com.openai.models.FunctionDefinition.builder()
                                .name("get_weather")
                                .parameters(com.openai.models.FunctionParameters.builder()
                                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                        .build())
                                .build())
                        .build());
    }

    @Test
    void chatCompletion_withTools_returnsToolCalls() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        ChatCompletionCreateParams params =
                askWithWeatherTool("eu.amazon.nova-2-lite-v1:0").build();
        ChatCompletion completion = client.chat().completions().create(params);
        var choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message()
                        .toolCalls()
                        .orElseThrow()
                        .get(0)
                        .asFunction()
                        .function()
                        .name())
                .isEqualTo("get_weather");
    }

    /**
     * {@code tool_choice: "none"} keeps the tools offered but forbids calling them: the same request that calls
     * {@code get_weather} with the default choice is answered in text, streamed or not (it was refused with a 400).
     */
    @Test
    void chatCompletion_toolChoiceNone_answersInTextThoughToolsAreOffered() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        ChatCompletionCreateParams params = askWithWeatherTool("eu.amazon.nova-2-lite-v1:0")
                .toolChoice(com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.NONE)
                .build();
        ChatCompletion completion = client.chat().completions().create(params);
        var choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(choice.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(choice.message().content())
                .hasValueSatisfying(t -> assertThat(t).isNotBlank());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(chunks)
                .flatMap(ChatCompletionChunk::choices)
                .allSatisfy(
                        c -> assertThat(c.delta().toolCalls().orElse(List.of())).isEmpty())
                .anySatisfy(c -> assertThat(c.finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.STOP));
    }

    /**
     * Penalties, a seed and a logit bias are taken (penalties other than zero and a logit bias were refused); the
     * simulator does not model them. So are unsupported parameters set to their defaults, as clients send them
     * unasked.
     */
    @Test
    void chatCompletion_withPenaltiesSeedLogitBiasAndDefaults_isAnswered() {
        ChatCompletion completion = client(AuthSettings.DEMO_API_KEY)
                .chat()
                .completions()
                .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .frequencyPenalty(1.2)
                        .presencePenalty(-0.5)
                        .seed(42)
                        .modalities(List.of(ChatCompletionCreateParams.Modality.TEXT))
                        .logitBias(ChatCompletionCreateParams.LogitBias.builder()
                                .putAdditionalProperty("15339", com.openai.core.JsonValue.from(-100))
                                .build())
                        .build());
        assertThat(completion.choices().get(0).message().content())
                .hasValueSatisfying(t -> assertThat(t).isNotBlank());
    }

    /**
     * {@code n} answers in one completion, made at one destination: choices indexed in order, the prompt counted once
     * in the usage and every answer's output; with a seed each choice samples with its own (the simulator's differ
     * then, and the same seed gives the same set). Streamed, the choices' chunks come as they are made, each with its index
     * (the SDK's accumulator assembles them; ChoiceStreamsTest pins the interleaving down, which here depends on the
     * simulator's timing), and one usage chunk ends the stream.
     */
    @Test
    void chatCompletion_withN_answersThatManyChoices() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        ChatCompletion one = client.chat().completions().create(ask("eu.amazon.nova-2-lite-v1:0"));
        var params = ask("eu.amazon.nova-2-lite-v1:0").toBuilder().n(3).seed(5).build();
        var raw = client.chat().completions().withRawResponse().create(params);
        ChatCompletion three = raw.parse();
        assertThat(raw.headers().values("x-meridian-inference-region")).hasSize(1);
        assertThat(three.choices()).extracting(c -> c.index()).containsExactly(0L, 1L, 2L);
        List<String> texts = three.choices().stream()
                .map(c -> c.message().content().orElseThrow())
                .toList();
        assertThat(texts).doesNotHaveDuplicates().allSatisfy(t -> assertThat(t).isNotBlank());
        var usage = three.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(one.usage().orElseThrow().promptTokens());
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
        assertThat(usage.completionTokens()).isGreaterThanOrEqualTo(3);
        assertThat(client.chat().completions().create(params).choices())
                .extracting(c -> c.message().content().orElseThrow())
                .as("the same seed, the same choices")
                .containsExactlyElementsOf(texts);
        assertThat(client.chat()
                        .completions()
                        .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                                .n(3)
                                .build())
                        .choices())
                .extracting(c -> c.message().content().orElseThrow())
                .as("without a seed, too, each choice is an answer of its own")
                .doesNotHaveDuplicates();

        var streamed = params.toBuilder()
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(streamed)) {
            chunks = stream.stream().toList();
        }
        List<StringBuilder> assembled = List.of(new StringBuilder(), new StringBuilder(), new StringBuilder());
        List<String> finished = new ArrayList<>(List.of("", "", ""));
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice c : chunk.choices()) {
                c.delta().content().ifPresent(assembled.get((int) c.index())::append);
                c.finishReason().ifPresent(r -> finished.set((int) c.index(), r.toString()));
            }
        }
        assertThat(assembled)
                .extracting(StringBuilder::toString)
                .as("each choice as whole")
                .isEqualTo(texts);
        assertThat(finished).as("every choice finished").allMatch(r -> r.equals("stop") || r.equals("length"));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        chunks.forEach(accumulator::accumulate);
        assertThat(accumulator.chatCompletion().choices())
                .as("the SDK's own accumulator assembles the same choices")
                .extracting(c -> c.message().content().orElseThrow())
                .containsExactlyElementsOf(texts);
        List<ChatCompletionChunk> withUsage =
                chunks.stream().filter(c -> c.usage().isPresent()).toList();
        assertThat(withUsage).as("one usage chunk, last").hasSize(1).containsExactly(chunks.get(chunks.size() - 1));
        assertThat(withUsage.get(0).usage().orElseThrow().completionTokens()).isEqualTo(usage.completionTokens());
        assertThat(withUsage.get(0).usage().orElseThrow().promptTokens()).isEqualTo(usage.promptTokens());
    }

    /**
     * A conversation of system messages only, and one that starts with the assistant, are answered, as OpenAI answers
     * them (both were refused: the gateway required a user message first, as Converse does).
     */
    @Test
    void chatCompletion_systemOnlyOrAssistantFirst_isAnswered() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        ChatCompletion systemOnly = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("eu.amazon.nova-2-lite-v1:0")
                        .addSystemMessage("Summarise the data residency rules of the EU profile.")
                        .build());
        ChatCompletion assistantFirst = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("eu.amazon.nova-2-lite-v1:0")
                        .addAssistantMessage("How can I help?")
                        .addUserMessage("Where is my data processed?")
                        .build());
        for (ChatCompletion completion : List.of(systemOnly, assistantFirst)) {
            assertThat(completion.choices().get(0).message().content())
                    .hasValueSatisfying(t -> assertThat(t).isNotBlank());
            assertThat(completion.usage().orElseThrow().promptTokens()).isPositive();
        }
    }

    /**
     * An empty {@code stop} sequence stops nothing: the answer is the one without it (the simulator cut every answer
     * to nothing at it, and Converse would refuse it at a Bedrock destination).
     */
    @Test
    void chatCompletion_emptyStopSequence_stopsNothing() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        String plain = client.chat()
                .completions()
                .create(ask("eu.amazon.nova-2-lite-v1:0"))
                .choices()
                .get(0)
                .message()
                .content()
                .orElseThrow();
        ChatCompletion withEmptyStop = client.chat()
                .completions()
                .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .stopOfStrings(List.of("", "<never>"))
                        .build());
        assertThat(withEmptyStop.choices().get(0).message().content()).hasValue(plain);
        assertThat(withEmptyStop.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    /**
     * {@code logprobs} with {@code top_logprobs}: every output token with its log probability, its UTF-8 bytes and
     * the asked number of alternatives, most likely first; the tokens spell the answer.
     */
    @Test
    void chatCompletion_withLogprobs_reportsEachTokenAndItsAlternatives() {
        ChatCompletion completion = client(AuthSettings.DEMO_API_KEY)
                .chat()
                .completions()
                .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .logprobs(true)
                        .topLogprobs(3)
                        .build());
        ChatCompletion.Choice choice = completion.choices().get(0);
        List<ChatCompletionTokenLogprob> tokens =
                choice.logprobs().orElseThrow().content().orElseThrow();

        assertThat(tokens.stream().map(ChatCompletionTokenLogprob::token).reduce("", String::concat))
                .isEqualTo(choice.message().content().orElseThrow());
        assertThat(tokens).allSatisfy(t -> {
            assertThat(t.logprob()).isNegative();
            assertThat(t.bytes().orElseThrow()).containsExactlyElementsOf(utf8(t.token()));
            assertThat(t.topLogprobs()).hasSize(3);
            assertThat(t.topLogprobs().get(0).token()).isEqualTo(t.token());
            assertThat(t.topLogprobs())
                    .extracting(ChatCompletionTokenLogprob.TopLogprob::logprob)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(t.topLogprobs().stream()
                            .mapToDouble(a -> Math.exp(a.logprob()))
                            .sum())
                    .isLessThanOrEqualTo(1.0);
        });
    }

    /** Streamed, each content chunk carries its own tokens' log probabilities; together they equal the whole one's. */
    @Test
    void chatCompletion_streamedWithLogprobs_carriesThemInTheContentChunks() {
        ChatCompletionCreateParams params = ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                .logprobs(true)
                .topLogprobs(2)
                .build();
        List<ChatCompletionTokenLogprob> whole = client(AuthSettings.DEMO_API_KEY)
                .chat()
                .completions()
                .create(params)
                .choices()
                .get(0)
                .logprobs()
                .orElseThrow()
                .content()
                .orElseThrow();
        List<ChatCompletionTokenLogprob> streamed = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client(AuthSettings.DEMO_API_KEY).chat().completions().createStreaming(params)) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(ch -> {
                ch.delta().content().filter(t -> !t.isEmpty()).ifPresent(t -> {
                    text.append(t);
                    List<ChatCompletionTokenLogprob> chunk =
                            ch.logprobs().orElseThrow().content().orElseThrow();
                    assertThat(chunk.stream()
                                    .map(ChatCompletionTokenLogprob::token)
                                    .reduce("", String::concat))
                            .isEqualTo(t);
                    streamed.addAll(chunk);
                });
            });
        }
        assertThat(text).isNotEmpty();
        assertThat(streamed).isEqualTo(whole);
    }

    private static List<Long> utf8(String token) {
        return dev.meridian.core.chat.TokenLogprob.utf8(token).stream()
                .map(Long::valueOf)
                .toList();
    }

    @Test
    void models_listsWhatTheKeysRegionCanInvoke() {
        List<String> ids = client(AuthSettings.DEMO_API_KEY).models().list().data().stream()
                .map(Model::id)
                .toList();
        assertThat(ids)
                .contains("amazon.nova-2-lite-v1:0", "eu.amazon.nova-2-lite-v1:0", "global.amazon.nova-2-lite-v1:0")
                .doesNotContain("us.amazon.nova-2-lite-v1:0", "meta.llama3-3-70b-instruct-v1:0");
    }

    /** {@code models.retrieve}: what the list shows, and OpenAI's 404 for what the key's region cannot invoke. */
    @Test
    void models_retrieveFindsWhatTheListShows() {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        for (String id : List.of("eu.amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0")) {
            assertThat(retrieve(client, id).id()).isEqualTo(id);
        }
        for (String id : List.of("us.amazon.nova-2-lite-v1:0", "meta.llama3-3-70b-instruct-v1:0", "vendor.none-v1:0")) {
            assertThatThrownBy(() -> retrieve(client, id))
                    .as(id)
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("The model '" + id + "' does not exist");
        }
    }

    /**
     * A URI too long for the server is refused before its path is read, so the error cannot know the surface; it
     * still reads as OpenAI's error object (it was Bedrock's bare {@code {"message"}}, which the SDK showed raw).
     */
    @Test
    void models_retrieveWithAnIdTooLongForAUri_isAnOpenAiError() {
        assertThatThrownBy(() -> retrieve(client(AuthSettings.DEMO_API_KEY), "m".repeat(10_000)))
                .isInstanceOfSatisfying(com.openai.errors.OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(414);
                    assertThat(e.body().toString()).contains("invalid_request_error");
                })
                .hasMessageContaining("Too Long URI");
    }

    static Model retrieve(OpenAIClient client, String id) {
        return client.models()
                .retrieve(com.openai.models.models.ModelRetrieveParams.builder()
                        .model(id)
                        .build());
    }

    @Test
    void errors_useOpenAiErrorObjectsAndStatuses() {
        assertThatThrownBy(() -> client("not-a-key").chat().completions().create(ask("eu.amazon.nova-2-lite-v1:0")))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() ->
                        client(AuthSettings.DEMO_API_KEY).chat().completions().create(ask("vendor.nothing-v1:0")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client(AuthSettings.DEMO_API_KEY)
                        .chat()
                        .completions()
                        .create(ask("us.amazon.nova-2-lite-v1:0")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("eu.amazon.nova-2-lite-v1:0");
    }

    /** The SDK exposes which parameter was at fault ({@code param} in OpenAI's error object). */
    @Test
    void errors_nameTheParameterAtFault() {
        assertThatThrownBy(() -> client(AuthSettings.DEMO_API_KEY)
                        .chat()
                        .completions()
                        .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                                .temperature(3.0)
                                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.param()).contains("temperature");
                    org.assertj.core.api.Assertions.assertThat(e.type()).contains("invalid_request_error");
                });
    }

    /** An output limit above the model's is refused before routing, naming the parameter the caller used. */
    @Test
    void errors_anOutputLimitAboveTheModelsNamesTheParameterUsed() {
        assertThatThrownBy(() -> client(AuthSettings.DEMO_API_KEY)
                        .chat()
                        .completions()
                        .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                                .maxCompletionTokens(1_000_000L)
                                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.param()).contains("max_completion_tokens");
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("at most 65536");
                });
    }

    @Test
    void responseFormat_jsonObject_isPassedToUpstreamsThatSupportIt() throws Exception {
        OpenAIClient client = client(AuthSettings.DEMO_API_KEY);
        ChatCompletion completion = client.chat()
                .completions()
                .create(ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .responseFormat(com.openai.models.ResponseFormatJsonObject.builder()
                                .build())
                        .build());
        String content = completion.choices().get(0).message().content().orElseThrow();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(content)
                        .has("answer"))
                .isTrue();
    }
}
