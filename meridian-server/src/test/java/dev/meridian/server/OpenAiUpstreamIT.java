package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.simserver.SimulatorHttpServer;
import dev.meridian.sim.RegionSimulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;

/**
 * The OpenAI-compatible provider over real HTTP: two EU destinations are served by simulator HTTP servers that
 * speak vLLM's API, a third by a misbehaving server (500, 429, garbage, stall, cut stream), and the embedded
 * simulator's other EU regions are down, so the gateway must route, stream and fail over through real upstreams.
 */
class OpenAiUpstreamIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static SimulatorHttpServer ireland;
    static SimulatorHttpServer paris;
    static Server faulty;
    static final AtomicReference<String> mode = new AtomicReference<>("500");
    /** The last body the faulty server received in mode "capture", where it answers like a model server. */
    static final AtomicReference<String> captured = new AtomicReference<>();
    /** Stalled exchanges the gateway gave up (reset or closed) once their attempt timed out. */
    static final java.util.concurrent.atomic.AtomicInteger stallsReached =
            new java.util.concurrent.atomic.AtomicInteger();

    static final java.util.concurrent.atomic.AtomicInteger stallsGivenUp =
            new java.util.concurrent.atomic.AtomicInteger();

    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        var catalog = TestGateways.config("").catalog();
        RoundTripTimes rtt = RoundTripTimes.estimate(catalog, Map.of());
        ireland = SimulatorHttpServer.start(
                RegionSimulator.builder(rtt).timeScale(0.01).build(),
                "eu-west-1",
                List.of("nova-lite"),
                "127.0.0.1",
                0);
        paris = SimulatorHttpServer.start(
                RegionSimulator.builder(rtt).timeScale(0.01).build(),
                "eu-west-3",
                List.of("nova-lite"),
                "127.0.0.1",
                0);
        faulty = Server.builder()
                .http(0)
                .service(
                        "/metrics",
                        (ctx, req) -> HttpResponse.of(
                                HttpStatus.OK,
                                MediaType.PLAIN_TEXT_UTF_8,
                                "vllm:num_requests_running{model_name=\"nova-lite\"} 64\n"
                                        + "vllm:num_requests_waiting{model_name=\"nova-lite\"} 12\n"))
                .service("/v1/chat/completions", (ctx, req) -> switch (mode.get()) {
                    case "capture" ->
                        HttpResponse.of(req.aggregate().thenApply(body -> {
                            captured.set(body.contentUtf8());
                            return HttpResponse.of(
                                    HttpStatus.OK,
                                    MediaType.JSON,
                                    TestGateways.chatCompletion("nova-lite", "captured"));
                        }));
                    case "500" ->
                        HttpResponse.of(
                                HttpStatus.INTERNAL_SERVER_ERROR,
                                MediaType.JSON,
                                "{\"error\":{\"message\":\"secret upstream detail at 10.1.2.3\"}}");
                    case "429" -> HttpResponse.of(HttpStatus.TOO_MANY_REQUESTS);
                    // the upstream's address, key or account is wrong, or it gave up reading the request
                    case "401", "402", "404", "408", "410" ->
                        HttpResponse.of(HttpStatus.valueOf(Integer.parseInt(mode.get())));
                    case "garbage" -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{not json");
                    case "cut" ->
                        HttpResponse.of(
                                HttpStatus.OK,
                                MediaType.EVENT_STREAM,
                                "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n");
                    default -> {
                        stallsReached.incrementAndGet();
                        ctx.whenRequestCancelled().thenRun(stallsGivenUp::incrementAndGet);
                        yield HttpResponse.streaming(); // stalls forever
                    }
                })
                .requestTimeoutMillis(0) // a stalled exchange ends only when the gateway gives it up
                .build();
        faulty.start().join();
        MeridianConfig config = TestGateways.config(
                        "routing: {maxAttempts: 6, attemptTimeout: 4s, totalTimeout: 12s}\n")
                .withUpstreams(List.of(
                        upstream("eu-west-1", ireland.port(), true),
                        upstream("eu-west-3", paris.port(), true),
                        upstream("eu-north-1", faulty.activeLocalPort(), false)));
        gateway = MeridianServer.start(config);
        for (String r : List.of("eu-central-1", "eu-south-1", "eu-south-2")) {
            gateway.wiring().simulator().setDown(r, true);
        }
    }

    static MeridianConfig.Upstream upstream(String region, int port, boolean sendTopK) {
        return MeridianConfig.Upstream.openAi(
                region, NOVA, URI.create("http://127.0.0.1:" + port + "/v1"), "nova-lite", "upstream-key", sendTopK);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        ireland.close();
        paris.close();
        faulty.stop().join();
    }

    @BeforeEach
    void reset() {
        mode.set("500");
    }

    /** Every test ends with the simulated regions up, whatever it took down. */
    @AfterEach
    void regionsBackUp() {
        ireland.simulator().setDown("eu-west-1", false);
        paris.simulator().setDown("eu-west-3", false);
    }

    /** Leaves the capturing server the one upstream up, so what it receives is what the gateway sent. */
    static void onlyTheCapturingUpstream() {
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        mode.set("capture");
    }

    static ConverseResponse converse(String text, Tool... tools) {
        return TestGateways.converseEu(gateway, "eu-south-1", text, tools);
    }

    static String region(ConverseResponse r) {
        return r.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();
    }

    @Test
    void converse_isProcessedByARealUpstream_afterFailingOverFromTheFaultyOne() {
        long before =
                ireland.simulator().processedIn("eu-west-1") + paris.simulator().processedIn("eu-west-3");
        List<String> modes = List.of("500", "429", "garbage", "stall");
        for (String m : modes) {
            mode.set(m);
            ConverseResponse r = converse("hello via " + m);
            assertThat(region(r)).isIn("eu-west-1", "eu-west-3");
            assertThat(r.output().message().content().get(0).text()).isNotBlank();
        }
        long after =
                ireland.simulator().processedIn("eu-west-1") + paris.simulator().processedIn("eu-west-3");
        assertThat(after - before).isEqualTo(modes.size());
    }

    /** OpenAI's {@code n}: the answers are made at one upstream, each a request of its own there. */
    @Test
    void nChoices_areAllMadeAtTheUpstreamThatAnswers() {
        long irelandBefore = ireland.simulator().processedIn("eu-west-1");
        long parisBefore = paris.simulator().processedIn("eu-west-3");
        var answer = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY)
                .chat()
                .completions()
                .withRawResponse()
                .create(OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .n(2)
                        .seed(3)
                        .build());
        String region = answer.headers().values("x-meridian-inference-region").get(0);
        assertThat(answer.parse().choices()).hasSize(2);
        long ireland2 = ireland.simulator().processedIn("eu-west-1") - irelandBefore;
        long paris2 = paris.simulator().processedIn("eu-west-3") - parisBefore;
        assertThat(region.equals("eu-west-1") ? List.of(ireland2, paris2) : List.of(paris2, ireland2))
                .as("both made in " + region)
                .containsExactly(2L, 0L);

        var streamed = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY)
                .chat()
                .completions()
                .createStreaming(OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .n(2)
                        .seed(3)
                        .build());
        try (streamed) {
            assertThat(streamed.stream()
                            .flatMap(chunk -> chunk.choices().stream())
                            .filter(c -> c.finishReason().isPresent())
                            .map(c -> c.index()))
                    .as("each choice streamed to its end")
                    .containsExactlyInAnyOrder(0L, 1L);
        }
    }

    /**
     * An upstream whose address, key or account is wrong (401, 402, 404, 410), or that gave up reading the request
     * (408), says nothing of the request: the router moves on (here, with the other EU upstreams down, to a 503 that
     * names why each region failed), where a status it does not know makes the request's error.
     */
    @Test
    void anUpstreamsDeploymentFault_isFailedOver_notTheCallersError() {
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        for (String m : List.of("401", "402", "404", "408", "410")) {
            mode.set(m);
            assertThatThrownBy(() -> converse("hello via " + m))
                    .as(m)
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("eu-north-1 (");
        }
    }

    /**
     * A caller that goes away (its HTTP/1.1 or HTTP/2 connection closed under the request) while the only upstream that
     * could answer stalls: the gateway gives that attempt up as soon as it hears the connection close (over HTTP/2,
     * Armeria's client closes gracefully, which takes it about a second), tries no other destination, and audits the request as the
     * caller's leaving, with where it went. Had it gone on, the stalled attempt would have timed out (4 s) and the request been audited
     * as ServiceUnavailable.
     */
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"h1c", "h2c"})
    void aCallerThatGoesAway_stopsTheRouting_andIsAuditedWithWhereItsRequestWent(String protocol) throws Exception {
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        mode.set("stall");
        int reached = stallsReached.get();
        int givenUp = stallsGivenUp.get();
        var connections = com.linecorp.armeria.client.ClientFactory.builder().build();
        var client = com.linecorp.armeria.client.WebClient.builder(protocol + "://127.0.0.1:"
                        + java.net.URI.create(gateway.endpoint()).getPort())
                .factory(connections)
                .build();
        String prompt = "I will not wait, over " + protocol;
        var call = client.execute(
                com.linecorp.armeria.common.RequestHeaders.builder(
                                com.linecorp.armeria.common.HttpMethod.POST, "/v1/chat/completions")
                        .contentType(MediaType.JSON)
                        .add("authorization", "Bearer " + dev.meridian.server.auth.AuthSettings.DEMO_API_KEY)
                        .build(),
                "{\"model\":\"eu." + NOVA + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (stallsReached.get() == reached && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(stallsReached.get()).as("the stalled upstream reached").isEqualTo(reached + 1);
        long left = System.nanoTime();
        connections.close(); // the caller's connection closes, as when its process or socket goes
        call.aggregate().exceptionally(closed -> null);
        while (stallsGivenUp.get() == givenUp
                && System.nanoTime() - left < java.util.concurrent.TimeUnit.SECONDS.toNanos(3)) {
            Thread.sleep(10);
        }
        assertThat(System.nanoTime() - left)
                .as("the stalled exchange given up with the caller, not at its attempt's 4 s timeout")
                .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(3));
        if (protocol.equals("h1c")) {
            // heard from the connection itself (~60 ms here), not when Armeria fails its request a second later
            assertThat(System.nanoTime() - left).isLessThan(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(800));
        }
        assertGoneCallerAudited("eu-central-1", "client_closed_request");
    }

    /** The source region's trail holds the gone caller's request, with the EU regions it was sent to. */
    static void assertGoneCallerAudited(String sourceRegion, String errorCode) throws Exception {
        com.fasterxml.jackson.databind.JsonNode record = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (record == null && System.nanoTime() < deadline) {
            try (var trail = TestGateways.cloudTrail(gateway, sourceRegion)) {
                for (var e : trail.lookupEvents(b -> b.maxResults(20)).events()) {
                    var r = dev.meridian.server.http.Json.MAPPER.readTree(e.cloudTrailEvent());
                    if (r.path("errorCode").asText().equals(errorCode)) {
                        record = r;
                        break;
                    }
                }
            }
            Thread.sleep(record == null ? 50 : 0);
        }
        assertThat(record).as("the request's audit event").isNotNull();
        assertThat(record.path("errorMessage").asText())
                .isEqualTo("The caller went away before the request was answered.");
        List<String> tried = new ArrayList<>();
        record.at("/additionalEventData/attemptedRegions").forEach(n -> tried.add(n.asText()));
        assertThat(tried)
                .isNotEmpty()
                .doesNotHaveDuplicates()
                .isSubsetOf("eu-west-1", "eu-west-3", "eu-north-1", "eu-central-1", "eu-south-1", "eu-south-2");
    }

    /**
     * An upstream that never answers holds no connection or stream once its attempt has timed out: the gateway gives
     * the exchange up (a reset stream, or a closed connection) for a whole answer as for a stream, instead of leaving
     * it open for as long as the upstream stalls.
     */
    @Test
    void aStalledUpstream_isGivenUpWhenItsAttemptTimesOut_wholeAndStreamed() throws Exception {
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        mode.set("stall");
        int before = stallsGivenUp.get();
        assertThatThrownBy(() -> converse("is anybody there?"))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("eu-north-1 (timed out");
        assertThatThrownBy(() -> TestGateways.streamEu(gateway, "eu-south-1", "is anybody streaming?"))
                .hasCauseInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("eu-north-1 (timed out");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (stallsGivenUp.get() < before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stallsGivenUp.get() - before).isEqualTo(2);
    }

    static CountTokensResponse countEu(String source, String modelId, String text) {
        try (var client = TestGateways.runtime(gateway, source)) {
            return client.countTokens(b ->
                    b.modelId(modelId).input(i -> i.converse(c -> c.messages(ToolUseIT.user(text)))));
        }
    }

    /**
     * The vLLM-like upstreams count with their tokenizer endpoint ({@code /tokenize}); the faulty one has none, so a
     * count from its region (the first tried) passes it by like a down region, without a health penalty, and lands
     * where it can be made.
     */
    @Test
    void countTokens_isCountedByAnUpstreamsTokenizer_andEqualsWhatItCharges() {
        String text = "How many tokens will this cost me in Ireland or Paris?";
        int charged = converse(text).usage().inputTokens();
        ireland.simulator().setDown("eu-west-1", true);
        try {
            for (int i = 0; i < 3; i++) {
                CountTokensResponse counted = countEu("eu-north-1", "eu." + NOVA, text);
                assertThat(counted.inputTokens()).isEqualTo(charged);
                assertThat(counted.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                        .hasValue("eu-west-3");
            }
        } finally {
            ireland.simulator().setDown("eu-west-1", false);
        }
    }

    /** The only allowed destination has no tokenizer endpoint: the caller's ValidationException, saying so. */
    @Test
    void countTokens_whereNoAllowedUpstreamCanCount_isValidationException() {
        assertThatThrownBy(() -> countEu("eu-north-1", NOVA, "count me in Stockholm"))
                .isInstanceOf(software.amazon.awssdk.services.bedrockruntime.model.ValidationException.class)
                .hasMessageContaining("eu-north-1 (unsupported: the model server in eu-north-1 does not count tokens")
                .hasMessageNotContaining("127.0.0.1");
    }

    /** Both simulated vLLMs are configured with sendTopK: a top-k reaches them as vLLM's top_k, which they take. */
    @Test
    void topK_reachesAVllmUpstreamThatTakesIt() {
        mode.set("500");
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            var r = client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(ToolUseIT.user("hello with top-k"))
                    .additionalModelRequestFields(software.amazon.awssdk.core.document.Document.mapBuilder()
                            .putNumber("top_k", 40)
                            .build()));
            assertThat(region(r)).isIn("eu-west-1", "eu-west-3");
            assertThat(r.output().message().content().get(0).text()).isNotBlank();
        }
    }

    static List<ConverseStreamOutput> stream(String text) throws Exception {
        return TestGateways.streamEu(gateway, "eu-south-1", text);
    }

    @Test
    void converseStream_relaysAnUpstreamSseStream() throws Exception {
        for (int i = 0; i < 3; i++) {
            List<ConverseStreamOutput> events = stream("stream " + i);
            assertThat(events).anyMatch(e -> e instanceof ContentBlockDeltaEvent);
            assertThat(events.get(events.size() - 1).sdkEventType().toString()).isEqualTo("metadata");
        }
    }

    @Test
    void converseStream_upstreamCutAfterTheFirstByte_endsWithAStreamException() {
        mode.set("cut");
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        try {
            assertThatThrownBy(() -> stream("cut me off"))
                    .hasRootCauseInstanceOf(
                            software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException.class)
                    .rootCause()
                    .hasMessageContaining("closed the stream")
                    .hasMessageNotContaining("127.0.0.1");
        } finally {
            ireland.simulator().setDown("eu-west-1", false);
            paris.simulator().setDown("eu-west-3", false);
        }
    }

    @Test
    void toolUse_roundTripsThroughTheOpenAiWireFormat() {
        Tool weather = TestGateways.weatherTool();
        ConverseResponse r = converse("Weather in Dublin?", weather);
        assertThat(r.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(r.output().message().content())
                .anySatisfy(b -> assertThat(b.toolUse())
                        .isNotNull()
                        .satisfies(u -> assertThat(u.name()).isEqualTo("get_weather")));
    }

    /**
     * {@code tool_choice: "none"} reaches a vLLM-style upstream as {@code "none"}: the upstream, which calls the
     * offered tool under any other choice, answers in text.
     */
    @Test
    void toolChoiceNone_reachesTheUpstreamAsNone() {
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var offered = OpenAiSdkIT.askWithWeatherTool("eu.amazon.nova-2-lite-v1:0");
        long before =
                ireland.simulator().processedIn("eu-west-1") + paris.simulator().processedIn("eu-west-3");
        assertThat(client.chat()
                        .completions()
                        .create(offered.build())
                        .choices()
                        .get(0)
                        .message()
                        .toolCalls())
                .isPresent();
        var answer = client.chat()
                .completions()
                .create(offered.toolChoice(com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.NONE)
                        .build())
                .choices()
                .get(0);
        assertThat(answer.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answer.message().content())
                .hasValueSatisfying(t -> assertThat(t).isNotBlank());
        long after =
                ireland.simulator().processedIn("eu-west-1") + paris.simulator().processedIn("eu-west-3");
        assertThat(after - before).isEqualTo(2);
    }

    /**
     * {@code parallel_tool_calls: false} reaches an OpenAI-compatible upstream (it was accepted and dropped), so the
     * model there answers with one tool call at most; left unset, it is not sent.
     */
    @Test
    void parallelToolCallsFalse_reachesTheUpstream() throws Exception {
        onlyTheCapturingUpstream();
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var offered = OpenAiSdkIT.askWithWeatherTool("eu.amazon.nova-2-lite-v1:0");
        client.chat().completions().create(offered.parallelToolCalls(false).build());
        var sent = mapper.readTree(captured.get());
        assertThat(sent.path("parallel_tool_calls").isBoolean()).isTrue();
        assertThat(sent.path("parallel_tool_calls").booleanValue()).isFalse();
        client.chat()
                .completions()
                .create(OpenAiSdkIT.askWithWeatherTool("eu.amazon.nova-2-lite-v1:0")
                        .build());
        assertThat(mapper.readTree(captured.get()).has("parallel_tool_calls")).isFalse();
    }

    /**
     * OpenAI's penalties, seed and logit bias reach an OpenAI-compatible upstream as they were sent (penalties and a
     * logit bias were refused, a seed dropped); here the one upstream up is the capturing server.
     */
    @Test
    void penaltiesSeedAndLogitBias_reachTheUpstreamAsSent() throws Exception {
        onlyTheCapturingUpstream();
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var answer = client.chat()
                .completions()
                .withRawResponse()
                .create(OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                        .frequencyPenalty(0.5)
                        .presencePenalty(-0.25)
                        .seed(4_000_000_000L)
                        .logitBias(com.openai.models.chat.completions.ChatCompletionCreateParams.LogitBias.builder()
                                .putAdditionalProperty("15339", com.openai.core.JsonValue.from(-100))
                                .putAdditionalProperty("9906", com.openai.core.JsonValue.from(2.5))
                                .build())
                        .build());
        assertThat(answer.headers().values("x-meridian-inference-region")).containsExactly("eu-north-1");
        assertThat(answer.parse().choices().get(0).message().content()).hasValue("captured");
        var sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(captured.get());
        assertThat(sent.path("frequency_penalty").doubleValue()).isEqualTo(0.5);
        assertThat(sent.path("presence_penalty").doubleValue()).isEqualTo(-0.25);
        assertThat(sent.path("seed").longValue()).isEqualTo(4_000_000_000L);
        assertThat(sent.path("logit_bias").toString()).isEqualTo("{\"15339\":-100,\"9906\":2.5}");
    }

    /**
     * A Converse caller's stop sequences beyond OpenAI's four reach vLLM-style upstreams, which take any number: the
     * capturing server receives all six, and a simulator standing in for vLLM answers, cut at the one it produced,
     * which it names as vLLM does ({@code stop_reason}) and the Converse caller reads.
     */
    @Test
    void manyStopSequences_reachVllmStyleUpstreams() throws Exception {
        List<String> stops = List.of("s1", "s2", "s3", "s4", "s5", ".");
        onlyTheCapturingUpstream();
        try (var client = TestGateways.runtime(gateway, "eu-south-1")) {
            ConverseResponse captureOnly = client.converse(b -> b.modelId("eu." + NOVA)
                    .inferenceConfig(c -> c.stopSequences(stops))
                    .messages(ToolUseIT.user("hello")));
            assertThat(region(captureOnly)).isEqualTo("eu-north-1");
            var sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(captured.get());
            assertThat(sent.path("stop").toString()).isEqualTo("[\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\".\"]");

            ireland.simulator().setDown("eu-west-1", false);
            mode.set("500");
            ConverseResponse simulated = client.converse(b -> b.modelId("eu." + NOVA)
                    .inferenceConfig(c -> c.stopSequences(stops))
                    .additionalModelResponseFieldPaths("/stop_sequence")
                    .messages(ToolUseIT.user("hello")));
            assertThat(region(simulated)).isEqualTo("eu-west-1");
            // cut before the first sentence's end, which the upstream names as vLLM does (stop_reason)
            assertThat(simulated.output().message().content().get(0).text())
                    .isNotBlank()
                    .doesNotContain(".");
            assertThat(simulated.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
            assertThat(simulated
                            .additionalModelResponseFields()
                            .asMap()
                            .get("stop_sequence")
                            .asString())
                    .isEqualTo(".");
        }
    }

    /**
     * OpenAI's conversations that Converse refuses reach an OpenAI-compatible upstream as they were sent: a system
     * prompt alone, and one starting with the assistant.
     */
    @Test
    void systemOnlyAndAssistantFirstConversations_reachTheUpstreamAsSent() throws Exception {
        onlyTheCapturingUpstream();
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("eu.amazon.nova-2-lite-v1:0")
                        .addSystemMessage("Summarise the rules.")
                        .build());
        assertThat(mapper.readTree(captured.get()).path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"Summarise the rules.\"}]");
        var answer = client.chat()
                .completions()
                .withRawResponse()
                .create(ChatCompletionCreateParams.builder()
                        .model("eu.amazon.nova-2-lite-v1:0")
                        .addAssistantMessage("How can I help?")
                        .addUserMessage("Where?")
                        .build());
        assertThat(answer.headers().values("x-meridian-inference-region")).containsExactly("eu-north-1");
        assertThat(mapper.readTree(captured.get()).path("messages").toString())
                .isEqualTo("[{\"role\":\"assistant\",\"content\":\"How can I help?\"},"
                        + "{\"role\":\"user\",\"content\":\"Where?\"}]");
    }

    /**
     * {@code logprobs}: asked of an OpenAI-compatible upstream as OpenAI asks (the capturing server reads
     * {@code logprobs: true, top_logprobs: 2}), and what vLLM-style upstreams report reaches the caller, whole and
     * streamed, token for token.
     */
    @Test
    void logprobs_areAskedOfTheUpstreamAndRelayed() throws Exception {
        var client = TestGateways.openAi(gateway, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        var params = OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                .logprobs(true)
                .topLogprobs(2)
                .build();
        onlyTheCapturingUpstream();
        client.chat().completions().create(params);
        var sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(captured.get());
        assertThat(sent.path("logprobs").booleanValue()).isTrue();
        assertThat(sent.path("top_logprobs").intValue()).isEqualTo(2);
        regionsBackUp(); // the simulated vLLMs answer from here on
        reset();

        var whole = client.chat().completions().withRawResponse().create(params);
        assertThat(whole.headers().values("x-meridian-inference-region"))
                .singleElement()
                .isIn("eu-west-1", "eu-west-3");
        var choice = whole.parse().choices().get(0);
        var tokens = choice.logprobs().orElseThrow().content().orElseThrow();
        assertThat(tokens)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.topLogprobs()).hasSize(2));
        assertThat(tokens.stream()
                        .map(com.openai.models.chat.completions.ChatCompletionTokenLogprob::token)
                        .reduce("", String::concat))
                .isEqualTo(choice.message().content().orElseThrow());

        List<com.openai.models.chat.completions.ChatCompletionTokenLogprob> streamed = new ArrayList<>();
        try (var stream = client.chat().completions().createStreaming(params)) {
            stream.stream()
                    .flatMap(c -> c.choices().stream())
                    .forEach(c -> c.logprobs().flatMap(l -> l.content()).ifPresent(streamed::addAll));
        }
        assertThat(streamed).isEqualTo(tokens);
    }

    @Test
    void everyUpstreamFailing_isServiceUnavailableWithoutUpstreamDetails() {
        ireland.simulator().setDown("eu-west-1", true);
        paris.simulator().setDown("eu-west-3", true);
        try {
            assertThatThrownBy(() -> converse("nobody home"))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("eu-west-1 (")
                    .hasMessageContaining("eu-north-1 (server error: upstream answered 500)")
                    .hasMessageNotContaining("127.0.0.1")
                    .hasMessageNotContaining("10.1.2.3")
                    .hasMessageNotContaining("upstream-key");
        } finally {
            ireland.simulator().setDown("eu-west-1", false);
            paris.simulator().setDown("eu-west-3", false);
        }
    }

    @Test
    void simulatorServer_exposesVllmStyleMetricsAndHealth() {
        var client = com.linecorp.armeria.client.WebClient.of("http://127.0.0.1:" + ireland.port());
        assertThat(client.get("/health").aggregate().join().status().code()).isEqualTo(200);
        String metrics = client.get("/metrics").aggregate().join().contentUtf8();
        assertThat(metrics)
                .contains("vllm:num_requests_running{model_name=\"nova-lite\"}")
                .contains("vllm:kv_cache_usage_perc");
        assertThat(client.get("/v1/models").aggregate().join().contentUtf8()).contains("\"nova-lite\"");
    }

    @Test
    void vllmMetrics_reportingAQueue_putTheRegionBehindTheOthers() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            var plan = gateway.wiring()
                    .gateway()
                    .explain("eu-south-1", "eu." + NOVA)
                    .plan()
                    .candidates();
            state = plan.stream()
                    .filter(c -> c.region().equals("eu-north-1"))
                    .findFirst()
                    .orElseThrow()
                    .state()
                    .name();
            if (state.equals("SATURATED")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(state).isEqualTo("SATURATED");
        var ireland = gateway.wiring().gateway().explain("eu-south-1", "eu." + NOVA).plan().candidates().stream()
                .filter(c -> c.region().equals("eu-west-1"))
                .findFirst()
                .orElseThrow();
        assertThat(ireland.signals().reportedUtilization()).isBetween(0.0, 1.0);
    }
}
