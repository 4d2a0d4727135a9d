package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.config.MeridianConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * A destination that finds a request invalid (a vLLM's 400 for a prompt longer than its context, Bedrock's
 * ValidationException) answers the caller with a 400 in its own API's format, carrying the destination's reason
 * (masked of the upstream's address and key), without failing over; a request too long for the model's context is
 * named so (OpenAI's {@code context_length_exceeded}); a model that fails on a request (Bedrock's
 * ModelErrorException) stays the model's error. Real clients on both sides: the AWS SDK for Java v2 and the OpenAI
 * Java client calling the gateway, the gateway's Bedrock provider (the AWS SDK) and its OpenAI-compatible provider
 * calling servers that answer as vLLM and Bedrock do.
 */
class UpstreamRefusalIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static final String MALFORMED = "Malformed input request: extraneous key [foo] is not permitted.";
    static final String TOO_LONG = "This model's maximum context length is 2048 tokens. However, you requested 4096"
            + " tokens (3072 in the messages, 1024 in the completion). Please reduce the length of the messages or"
            + " completion.";

    /** What the vLLM-like server in eu-west-1 answers: "too-long" (its 400), or "down" (503). */
    static final AtomicReference<String> vllmMode = new AtomicReference<>("down");
    /**
     * What the Bedrock-like server in eu-west-3 answers: "invalid", "too-long" (ValidationExceptions), "model-error"
     * (424), "stall", or "down" (503).
     */
    static final AtomicReference<String> bedrockMode = new AtomicReference<>("down");

    static final AtomicInteger vllmCalls = new AtomicInteger();
    static final AtomicInteger bedrockCalls = new AtomicInteger();
    static final AtomicInteger bedrockStallsGivenUp = new AtomicInteger();

    static Server vllm;
    static Server bedrock;
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        vllm = Server.builder()
                .http(0)
                .service("/v1/chat/completions", (ctx, req) -> {
                    vllmCalls.incrementAndGet();
                    return "too-long".equals(vllmMode.get())
                            ? HttpResponse.of(
                                    HttpStatus.BAD_REQUEST,
                                    MediaType.JSON,
                                    "{\"object\":\"error\",\"message\":\"" + TOO_LONG
                                            + " (served at http://10.1.2.3:8000/v1 with key upstream-key)\","
                                            + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}")
                            : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                })
                .build();
        vllm.start().join();
        bedrock = Server.builder()
                .http(0)
                .serviceUnder("/model/", (ctx, req) -> {
                    bedrockCalls.incrementAndGet();
                    return switch (bedrockMode.get()) {
                        case "invalid" -> bedrockError(400, "ValidationException", MALFORMED);
                        case "too-long" ->
                            bedrockError(400, "ValidationException", "Input is too long for requested model.");
                        case "model-error" ->
                            bedrockError(424, "ModelErrorException", "The model failed at 10.9.8.7 with a secret.");
                        case "stall" -> {
                            ctx.whenRequestCancelled().thenRun(bedrockStallsGivenUp::incrementAndGet);
                            yield HttpResponse.streaming(); // never answers
                        }
                        default -> bedrockError(503, "ServiceUnavailableException", "down");
                    };
                })
                .requestTimeoutMillis(0) // a stalled exchange ends only when the gateway gives it up
                .build();
        bedrock.start().join();
        MeridianConfig config = TestGateways.config("routing: {maxAttempts: 6, attemptTimeout: 2s}\n")
                .withUpstreams(List.of(
                        MeridianConfig.Upstream.openAi(
                                "eu-west-1",
                                NOVA,
                                URI.create("http://127.0.0.1:" + vllm.activeLocalPort() + "/v1"),
                                "nova-lite",
                                "upstream-key",
                                true),
                        MeridianConfig.Upstream.bedrock(
                                "eu-west-3",
                                NOVA,
                                URI.create("http://127.0.0.1:" + bedrock.activeLocalPort()),
                                TestGateways.ACCESS_KEY,
                                TestGateways.SECRET_KEY)));
        gateway = MeridianServer.start(config);
        for (String r : List.of("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2")) {
            gateway.wiring().simulator().setDown(r, true);
        }
    }

    /** An error as Bedrock's REST-JSON protocol sends it: the type in a header, the message in the body. */
    static HttpResponse bedrockError(int status, String type, String message) {
        return HttpResponse.of(
                ResponseHeaders.builder(status)
                        .contentType(MediaType.JSON)
                        .add("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                        .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8("{\"message\":\"" + message + "\"}"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vllm.stop().join();
        bedrock.stop().join();
    }

    @BeforeEach
    void bothDown() {
        vllmMode.set("down");
        bedrockMode.set("down");
        vllmCalls.set(0);
        bedrockCalls.set(0);
    }

    /** The OpenAI client with its defaults: it retries a 429, a 5xx and a connection error twice. */
    static com.openai.client.OpenAIClient openAiAsShipped() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(gateway.endpoint() + "/v1")
                .apiKey(AuthSettings.DEMO_API_KEY)
                .build();
    }

    static ChatCompletionCreateParams chat(String text) {
        return ChatCompletionCreateParams.builder()
                .model("eu." + NOVA)
                .addUserMessage(text)
                .build();
    }

    /**
     * The OpenAI client as shipped, retrying twice by default: a 500 (how such a refusal used to reach it) made it
     * send the request three times; the 400 it gets now is final.
     */
    @Test
    void aPromptTooLongForAnUpstream_isAnOpenAiCallersContextLengthExceeded_withTheUpstreamsReason_sentOnce() {
        vllmMode.set("too-long");
        var client = openAiAsShipped();
        try {
            assertThatThrownBy(() -> client.chat().completions().create(chat("a very long prompt")))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.type()).hasValue("invalid_request_error");
                        assertThat(e.code()).hasValue("context_length_exceeded");
                        assertThat(e.param()).hasValue("messages");
                        assertThat(e.body().toString())
                                .contains("The request does not fit the context window of the model in eu-west-1: "
                                        + TOO_LONG + " (served at [url] with key [redacted])");
                    });
            assertThat(vllmCalls).hasValue(1);

            try (var stream = client.chat().completions().createStreaming(chat("a very long prompt, streamed"))) {
                assertThatThrownBy(() -> stream.stream().count())
                        .isInstanceOf(BadRequestException.class)
                        .hasMessageContaining("context window of the model in eu-west-1: " + TOO_LONG)
                        .hasMessageNotContaining("10.1.2.3");
            } catch (BadRequestException refusedBeforeTheStream) {
                assertThat(refusedBeforeTheStream).hasMessageContaining(TOO_LONG);
            }
            assertThat(vllmCalls).hasValue(2);
        } finally {
            client.close();
        }
    }

    @Test
    void bedrocksValidationException_isTheBedrockCallersValidationException_whole_andStreamed() {
        bedrockMode.set("invalid");
        assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-south-1", "a very long prompt"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The model in eu-west-3 found the request invalid: " + MALFORMED);
                });
        assertThatThrownBy(() -> TestGateways.streamEu(gateway, "eu-south-1", "a very long prompt, streamed"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("found the request invalid: " + MALFORMED);
        assertThat(bedrockCalls).hasValue(2);
    }

    /** Bedrock's "too long" is a ValidationException to a Bedrock caller, OpenAI's context_length_exceeded to another. */
    @Test
    void bedrocksInputTooLong_isEachCallersOwnContextError() {
        bedrockMode.set("too-long");
        assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-south-1", "a very long prompt"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("The request does not fit the context window of the model in eu-west-3: Input is"
                        + " too long for requested model.");
        var client = TestGateways.openAi(gateway, AuthSettings.DEMO_API_KEY);
        assertThatThrownBy(() -> client.chat().completions().create(chat("a very long prompt")))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.code()).hasValue("context_length_exceeded"));
        assertThat(bedrockCalls).hasValue(2);
    }

    /** The refusal is audited with the region that refused, its masked reason, and nothing of the prompt. */
    @Test
    void anInvalidRequest_isAuditedWithWhereItWasRefused_andNoPrompt() throws Exception {
        bedrockMode.set("invalid");
        ValidationException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                ValidationException.class,
                () -> TestGateways.converseEu(gateway, "eu-south-1", "my secret diagnosis, far too long"));
        try (var trail = TestGateways.cloudTrail(gateway, "eu-south-1")) {
            var event = trail.lookupEvents(b -> b.maxResults(50)).events().stream()
                    .filter(e -> e.cloudTrailEvent().contains(refused.requestId()))
                    .findFirst()
                    .orElseThrow();
            var record = dev.meridian.server.http.Json.MAPPER.readTree(event.cloudTrailEvent());
            assertThat(record.path("errorCode").asText()).isEqualTo("ValidationException");
            assertThat(record.path("errorMessage").asText())
                    .isEqualTo("The model in eu-west-3 found the request invalid: " + MALFORMED);
            List<String> tried = new java.util.ArrayList<>();
            record.at("/additionalEventData/attemptedRegions").forEach(n -> tried.add(n.asText()));
            // the simulated EU regions are down here and may be tried first, but refuse the connection: nothing was
            // sent there, so they are not named; the vLLM-like server (answering 503) may be
            assertThat(tried).endsWith("eu-west-3").doesNotHaveDuplicates().isSubsetOf("eu-west-1", "eu-west-3");
            assertThat(event.cloudTrailEvent()).doesNotContain("diagnosis");
        }
    }

    /** Another destination would find the request as invalid: each is sent to one destination only. */
    @Test
    void anInvalidRequest_isNotFailedOver() {
        vllmMode.set("too-long");
        bedrockMode.set("invalid");
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-south-1", "a very long prompt"))
                    .isInstanceOf(ValidationException.class);
        }
        assertThat(vllmCalls.get() + bedrockCalls.get()).isEqualTo(6);
    }

    /**
     * A Bedrock upstream that never answers holds no connection once its attempt has timed out: the SDK's exchange is
     * cancelled with the attempt (whole answers and token counts; a stream already was).
     */
    @Test
    void aStalledBedrockUpstream_isGivenUpWhenItsAttemptTimesOut() throws Exception {
        bedrockMode.set("stall");
        int before = bedrockStallsGivenUp.get();
        assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-south-1", "is anybody there?"))
                .isInstanceOf(software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException.class)
                .hasMessageContaining("eu-west-3 (timed out");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (bedrockStallsGivenUp.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(bedrockStallsGivenUp.get() - before).isEqualTo(1);
    }

    /**
     * A model that failed on the request is an OpenAI caller's 500, which the OpenAI client retries twice by default;
     * the answer tells it not to ({@code x-should-retry: false}), so the request reaches the model once.
     */
    @Test
    void aModelError_isAnOpenAiCallers500_notRetriedByItsClient() {
        bedrockMode.set("model-error");
        var client = openAiAsShipped();
        try {
            assertThatThrownBy(() -> client.chat().completions().create(chat("make the model fail")))
                    .isInstanceOfSatisfying(com.openai.errors.InternalServerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                        assertThat(e.body().toString()).doesNotContain("10.9.8.7", "secret");
                    });
            assertThat(bedrockCalls).as("sent once, not three times").hasValue(1);
        } finally {
            client.close();
        }
    }

    @Test
    void bedrocksModelErrorException_staysTheModelsError_withoutItsMessage() {
        bedrockMode.set("model-error");
        assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-south-1", "make the model fail"))
                .isInstanceOfSatisfying(ModelErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(424);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("the model failed on the request")
                            .doesNotContain("10.9.8.7", "secret");
                });
        assertThat(bedrockCalls).hasValue(1);
    }
}
