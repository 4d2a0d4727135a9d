package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.gateway.Invocation;
import dev.meridian.server.gateway.StreamInvocation;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.http.TurnBatches;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.observe.RequestSpans;
import dev.meridian.server.surface.RoutingLog;
import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * {@code InvokeModel} and {@code InvokeModelWithResponseStream}: model-native bodies in and out (see
 * {@link NativeFormats}), with the headers tools rely on ({@code X-Amzn-Bedrock-Input-Token-Count},
 * {@code -Output-Token-Count}, {@code -Invocation-Latency}) and, on streams, {@code chunk} events whose base64
 * {@code bytes} hold native chunks, the last one carrying {@code amazon-bedrock-invocationMetrics}.
 */
final class InvokeModelOperations {
    private final Gateway gateway;
    private final InvocationLogger invocationLogger;

    InvokeModelOperations(Gateway gateway, InvocationLogger invocationLogger) {
        this.gateway = gateway;
        this.invocationLogger = invocationLogger;
    }

    private record Prepared(
            Caller caller,
            NativeFormat format,
            String model,
            ChatRequest request,
            byte[] body,
            InvocationOptions.Served served) {}

    private Prepared prepare(HttpRequest req, Caller caller, String modelId, byte[] body) {
        MediaType contentType = req.headers().contentType();
        if (contentType != null
                && !contentType.is(MediaType.JSON)
                && !contentType.subtype().endsWith("json")) {
            throw GatewayException.validation("Content-Type: " + contentType + " (expected: application/json).");
        }
        InvocationOptions.checkInvokeHeaders(req.headers());
        String model = gateway.resolve(caller, modelId).model().id();
        NativeFormat format = NativeFormats.of(model);
        return new Prepared(
                caller,
                format,
                model,
                format.parse(ConverseCodec.readObject(body)),
                body,
                InvocationOptions.Served.ofInvokeHeaders(req.headers()));
    }

    HttpResponse invoke(ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body) {
        Prepared p = prepare(req, caller, modelId, body);
        return HttpResponse.of(gateway.converse(p.caller(), modelId, p.request(), RequestSpans.of(ctx))
                .thenApply(inv -> {
                    RoutingLog.record(
                            ctx,
                            p.caller(),
                            inv.target().requestedId(),
                            inv.routed().decision(),
                            inv.latencyMs());
                    return respond(ctx, p, inv);
                }));
    }

    private HttpResponse respond(ServiceRequestContext ctx, Prepared p, Invocation inv) {
        if (!inv.routed().succeeded()) {
            return BedrockErrors.of(inv.routed().error());
        }
        var result = inv.routed().result();
        ObjectNode body = p.format().render(result, p.model(), RequestIds.of(ctx));
        ResponseHeadersBuilder builder = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON)
                .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inv.inferenceRegion())
                .add("X-Amzn-Bedrock-Invocation-Latency", Long.toString(inv.latencyMs()))
                .add(
                        "X-Amzn-Bedrock-Input-Token-Count",
                        Integer.toString(result.usage().inputTokens()))
                .add(
                        "X-Amzn-Bedrock-Output-Token-Count",
                        Integer.toString(result.usage().outputTokens()));
        p.served().addTo(builder);
        ResponseHeaders headers = builder.build();
        byte[] answer = Json.bytes(body);
        invocationLogger.completed(
                BedrockRuntimeService.call(
                        ctx,
                        p.caller(),
                        RuntimeOperation.INVOKE_MODEL.eventName(),
                        inv.target().requestedId(),
                        inv.inferenceRegion(),
                        p.request().metadata()),
                p.body(),
                answer,
                result.usage());
        return HttpResponse.of(headers, HttpData.wrap(answer));
    }

    HttpResponse invokeStream(ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body) {
        Prepared p = prepare(req, caller, modelId, body);
        return HttpResponse.of(gateway.converseStream(p.caller(), modelId, p.request(), RequestSpans.of(ctx))
                .thenApply(inv -> {
                    RoutingLog.record(
                            ctx,
                            p.caller(),
                            inv.target().requestedId(),
                            inv.routed().decision(),
                            inv.elapsedMillis());
                    return respondStream(ctx, p, inv);
                }));
    }

    private HttpResponse respondStream(ServiceRequestContext ctx, Prepared p, StreamInvocation inv) {
        if (!inv.routed().succeeded()) {
            return BedrockErrors.of(inv.routed().error());
        }
        long firstByteLatency = inv.elapsedMillis();
        NativeFormat.StreamEncoder encoder = p.format().streamEncoder(p.model(), RequestIds.of(ctx));
        ResponseHeadersBuilder builder = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.parse(EventStreamWriter.CONTENT_TYPE))
                .add("X-Amzn-Bedrock-Content-Type", "application/json")
                .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inv.inferenceRegion());
        p.served().addTo(builder);
        ResponseHeaders headers = builder.build();
        String requestId = RequestIds.of(ctx);
        StreamMessage<HttpData> frames = invocationLogger
                .streamed(
                        BedrockRuntimeService.call(
                                ctx,
                                p.caller(),
                                RuntimeOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM.eventName(),
                                inv.target().requestedId(),
                                inv.inferenceRegion(),
                                p.request().metadata()),
                        p.body(),
                        inv.routed().result().events(),
                        answer -> p.format().render(answer, p.model(), requestId))
                .map(event -> {
                    var chunks = encoder.encode(event);
                    if (event instanceof ChatEvent.Metadata m && !chunks.isEmpty()) {
                        ObjectNode metrics =
                                chunks.get(chunks.size() - 1).putObject("amazon-bedrock-invocationMetrics");
                        metrics.put("inputTokenCount", m.usage().inputTokens());
                        metrics.put("outputTokenCount", m.usage().outputTokens());
                        metrics.put("invocationLatency", inv.elapsedMillis());
                        metrics.put("firstByteLatency", firstByteLatency);
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (ObjectNode chunk : chunks) {
                        byte[] payload = Json.bytes(
                                Json.object().put("bytes", Base64.getEncoder().encodeToString(Json.bytes(chunk))));
                        out.writeBytes(EventStreamWriter.event("chunk", payload).array());
                    }
                    return HttpData.wrap(out.toByteArray());
                })
                .recoverAndResume(cause -> StreamMessage.of(ConverseStreamEvents.failure(cause)));
        return HttpResponse.of(headers, TurnBatches.of(frames, ctx.eventLoop()));
    }
}
