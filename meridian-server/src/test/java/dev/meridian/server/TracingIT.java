package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.observe.Tracing;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Traces end to end with the real OpenTelemetry SDK exporting OTLP over HTTP to a receiver in the test, which
 * decodes what it gets with the protocol's official bindings. A front gateway routes the EU profile to two
 * OpenAI-compatible upstreams (eu-west-3 and eu-north-1, one server recording the trace context it is sent) and to
 * a peer Meridian for eu-west-1 (the Bedrock provider, AWS SDK), which traces too. Callers are the AWS SDK for
 * Java v2 and the official OpenAI client, sending their own W3C {@code traceparent}.
 */
class TracingIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static final Queue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
    static final Queue<String> upstreamTraceparents = new ConcurrentLinkedQueue<>();
    static final AtomicInteger upstreamFailuresLeft = new AtomicInteger();
    static final AtomicBoolean upstreamAlwaysFails = new AtomicBoolean();
    static Server receiver;
    static Server upstream;
    static MeridianServer peer;
    static MeridianServer gateway;

    /** One span as the collector received it, ids in hex. */
    record ReceivedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Span.SpanKind kind,
            Map<String, String> attributes,
            Status.StatusCode status) {}

    @BeforeAll
    static void start() {
        receiver = Server.builder()
                .http(new java.net.InetSocketAddress("127.0.0.1", 0))
                .service(
                        "/v1/traces",
                        (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                            try {
                                collect(ExportTraceServiceRequest.parseFrom(
                                        agg.content().array()));
                            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                                return HttpResponse.of(HttpStatus.BAD_REQUEST);
                            }
                            return HttpResponse.of(
                                    HttpStatus.OK,
                                    MediaType.parse("application/x-protobuf"),
                                    ExportTraceServiceResponse.getDefaultInstance()
                                            .toByteArray());
                        })))
                .build();
        receiver.start().join();
        upstream = Server.builder()
                .http(new java.net.InetSocketAddress("127.0.0.1", 0))
                .service("/v1/chat/completions", (ctx, req) -> {
                    upstreamTraceparents.add(req.headers().get("traceparent", "none"));
                    if (upstreamAlwaysFails.get() || upstreamFailuresLeft.getAndDecrement() > 0) {
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    return HttpResponse.of(
                            HttpStatus.OK, MediaType.JSON, TestGateways.chatCompletion("nova-lite", "Processed."));
                })
                .build();
        upstream.start().join();
        peer = MeridianServer.start(TestGateways.config(""), tracing("meridian-peer"));
        MeridianConfig config = TestGateways.config("routing: {maxAttempts: 6}\n")
                .withUpstreams(List.of(
                        openAi("eu-west-3"), openAi("eu-north-1"), TestGateways.peerUpstream(peer, "eu-west-1", NOVA)));
        gateway = MeridianServer.start(config, tracing("meridian"));
        for (String r : List.of("eu-central-1", "eu-south-1", "eu-south-2")) {
            gateway.wiring().simulator().setDown(r, true);
        }
    }

    static Tracing tracing(String service) {
        return Tracing.fromProperties(Map.of(
                "otel.traces.exporter",
                "otlp",
                "otel.exporter.otlp.traces.endpoint",
                "http://127.0.0.1:" + receiver.activeLocalPort() + "/v1/traces",
                "otel.service.name",
                service,
                "otel.bsp.schedule.delay",
                "50"));
    }

    static MeridianConfig.Upstream openAi(String region) {
        return MeridianConfig.Upstream.openAi(
                region,
                NOVA,
                URI.create("http://127.0.0.1:" + upstream.activeLocalPort() + "/v1"),
                "nova-lite",
                "upstream-key");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        peer.close();
        upstream.stop().join();
        receiver.stop().join();
    }

    @BeforeEach
    void reset() {
        upstreamFailuresLeft.set(0);
        upstreamAlwaysFails.set(false);
        peer.wiring().simulator().setDown("eu-west-1", false);
    }

    static void collect(ExportTraceServiceRequest export) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : export.getResourceSpansList()) {
            String service = rs.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name"))
                    .map(a -> a.getValue().getStringValue())
                    .findFirst()
                    .orElse("?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    spans.add(new ReceivedSpan(
                            service,
                            hex.formatHex(s.getTraceId().toByteArray()),
                            hex.formatHex(s.getSpanId().toByteArray()),
                            hex.formatHex(s.getParentSpanId().toByteArray()),
                            s.getName(),
                            s.getKind(),
                            s.getAttributesList().stream()
                                    .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()))),
                            s.getStatus().getCode()));
                }
            }
        }
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case ARRAY_VALUE ->
                v.getArrayValue().getValuesList().stream()
                        .map(AnyValue::getStringValue)
                        .collect(Collectors.joining(","));
            default -> v.toString();
        };
    }

    /** Waits (up to 10 s) until {@code count} spans of {@code trace} that match {@code filter} have arrived. */
    static List<ReceivedSpan> awaitSpans(String trace, int count, Predicate<ReceivedSpan> filter)
            throws InterruptedException {
        return awaitSpans(count, s -> s.traceId().equals(trace) && filter.test(s));
    }

    /** Waits (up to 10 s) until {@code count} received spans match {@code filter}; those that do by then. */
    static List<ReceivedSpan> awaitSpans(int count, Predicate<ReceivedSpan> filter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<ReceivedSpan> found = spans.stream().filter(filter).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    static String newTraceId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    static ConverseResponse converse(String traceparent) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-south-1")) {
            return client.converse(b -> b.modelId("eu." + NOVA)
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("Where was this processed?"))
                            .build())
                    .overrideConfiguration(o -> o.putHeader("traceparent", traceparent)));
        }
    }

    @Test
    void converse_continuesTheCallersTrace_withASpanPerAttempt_throughFailover() throws Exception {
        String trace = newTraceId();
        String callerSpan = "00f067aa0ba902b7";
        peer.wiring().simulator().setDown("eu-west-1", true); // the peer answers 503 for its region
        upstreamFailuresLeft.set(1); // and the upstream fails its first call, whichever region it stands for
        int before = upstreamTraceparents.size();

        ConverseResponse r = converse("00-" + trace + "-" + callerSpan + "-01");
        String processedIn = r.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();

        ReceivedSpan request = awaitSpans(
                        trace,
                        1,
                        s -> s.name().equals("Converse") && s.service().equals("meridian"))
                .getFirst();
        assertThat(request.parentSpanId()).isEqualTo(callerSpan);
        assertThat(request.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(request.attributes())
                .containsEntry("meridian.source_region", "eu-south-1")
                .containsEntry("meridian.inference_region", processedIn)
                .containsEntry("gen_ai.request.model", NOVA)
                .containsEntry("http.response.status_code", "200")
                .containsKey("aws.request_id");
        assertThat(request.attributes().get("meridian.allowed_regions").split(","))
                .contains("eu-west-1", "eu-west-3", "eu-north-1", "eu-central-1");
        int attemptCount = Integer.parseInt(request.attributes().get("meridian.attempts"));
        assertThat(attemptCount).isGreaterThanOrEqualTo(2);

        // the wait for the call's audit event to be durable, which holds the answer back, is a step of its own
        assertThat(awaitSpans(
                        trace,
                        1,
                        s -> s.service().equals("meridian") && s.name().equals("audit")))
                .singleElement()
                .satisfies(audit -> {
                    assertThat(audit.parentSpanId()).isEqualTo(request.spanId());
                    assertThat(audit.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
                    assertThat(audit.attributes()).containsEntry("meridian.audit.region", "eu-south-1");
                    assertThat(audit.status()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                });

        List<ReceivedSpan> attempts = awaitSpans(
                trace,
                attemptCount,
                s -> s.service().equals("meridian") && s.name().startsWith("attempt "));
        assertThat(attempts).hasSize(attemptCount);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.parentSpanId()).isEqualTo(request.spanId());
            assertThat(a.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        });
        List<ReceivedSpan> succeeded = attempts.stream()
                .filter(a -> !a.attributes().containsKey("meridian.attempt.failure"))
                .toList();
        assertThat(succeeded).singleElement().satisfies(a -> {
            assertThat(a.attributes()).containsEntry("meridian.destination_region", processedIn);
            assertThat(a.status()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        });
        assertThat(attempts.stream().filter(a -> a.attributes().containsKey("meridian.attempt.failure")))
                .hasSize(attemptCount - 1)
                .allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                    assertThat(a.attributes().get("meridian.attempt.failure"))
                            .isIn("server_error", "unavailable", "throttled");
                });
        // what the upstream was sent is each of its attempts' own context, in the caller's trace
        List<String> sent = upstreamTraceparents.stream().skip(before).toList();
        List<String> upstreamAttempts = attempts.stream()
                .filter(a -> List.of("eu-west-3", "eu-north-1")
                        .contains(a.attributes().get("meridian.destination_region")))
                .map(a -> "00-" + trace + "-" + a.spanId() + "-01")
                .toList();
        assertThat(sent).containsExactlyInAnyOrderElementsOf(upstreamAttempts);
    }

    @Test
    void aPeerGateway_continuesTheTrace_underTheAttemptThatCalledIt() throws Exception {
        String trace = newTraceId();
        upstreamAlwaysFails.set(true); // only the peer, eu-west-1, can answer

        ConverseResponse r = converse("00-" + trace + "-00f067aa0ba902b8-01");
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-west-1");

        ReceivedSpan attempt = awaitSpans(
                        trace,
                        1,
                        s -> s.service().equals("meridian")
                                && s.attributes()
                                        .getOrDefault("meridian.destination_region", "")
                                        .equals("eu-west-1"))
                .getFirst();
        ReceivedSpan atPeer = awaitSpans(
                        trace,
                        1,
                        s -> s.service().equals("meridian-peer") && s.name().equals("Converse"))
                .getFirst();
        assertThat(atPeer.parentSpanId()).isEqualTo(attempt.spanId());
        assertThat(atPeer.attributes())
                .containsEntry("meridian.source_region", "eu-west-1")
                .containsEntry("meridian.inference_region", "eu-west-1");
    }

    @Test
    void aStream_isTracedUntilItEnds_throughThePeer() throws Exception {
        String trace = newTraceId();
        upstreamAlwaysFails.set(true);

        var events = TestGateways.streamEu(
                gateway,
                "eu-south-1",
                "stream it",
                b -> b.overrideConfiguration(o -> o.putHeader("traceparent", "00-" + trace + "-00f067aa0ba902ba-01")));
        assertThat(events).isNotEmpty();

        ReceivedSpan request = awaitSpans(
                        trace,
                        1,
                        s -> s.service().equals("meridian") && s.name().equals("ConverseStream"))
                .getFirst();
        assertThat(request.attributes())
                .containsEntry("http.response.status_code", "200")
                .containsEntry("meridian.inference_region", "eu-west-1");
        assertThat(request.status()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        ReceivedSpan answered = awaitSpans(
                        trace,
                        1,
                        s -> s.parentSpanId().equals(request.spanId())
                                && !s.attributes().containsKey("meridian.attempt.failure"))
                .getFirst();
        assertThat(answered.attributes()).containsEntry("meridian.destination_region", "eu-west-1");
        ReceivedSpan atPeer = awaitSpans(
                        trace,
                        1,
                        s -> s.service().equals("meridian-peer") && s.name().equals("ConverseStream"))
                .getFirst();
        assertThat(atPeer.parentSpanId()).isEqualTo(answered.spanId());
    }

    @Test
    void openAiChatCompletion_isTracedToo_andARequestWithoutContextStartsItsOwnTrace() throws Exception {
        String trace = newTraceId();
        var client = TestGateways.openAi(gateway, AuthSettings.DEMO_API_KEY);
        var completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("eu." + NOVA)
                        .addUserMessage("Where was this processed?")
                        .putAdditionalHeader("traceparent", "00-" + trace + "-00f067aa0ba902b9-01")
                        .build());
        assertThat(completion.choices()).isNotEmpty();
        ReceivedSpan request = awaitSpans(trace, 1, s -> s.name().equals("CreateChatCompletion"))
                .getFirst();
        assertThat(request.attributes()).containsEntry("http.response.status_code", "200");

        java.util.Set<String> seen = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        converse("not a traceparent");
        List<ReceivedSpan> fresh = awaitSpans(
                1,
                s -> !seen.contains(s.spanId())
                        && s.service().equals("meridian")
                        && s.name().equals("Converse"));
        assertThat(fresh)
                .singleElement()
                .satisfies(s -> assertThat(s.parentSpanId()).isEmpty());
    }
}
