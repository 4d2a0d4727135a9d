package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.gateway.Invocation;
import dev.meridian.server.gateway.StreamInvocation;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.http.TurnBatches;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.observe.RequestSpans;
import dev.meridian.server.surface.AuthenticatedRequests;
import dev.meridian.server.surface.RoutingLog;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Bedrock runtime surface under {@code /model/{modelId}/{operation}}.
 *
 * <p>The model id is taken from the raw path and percent-decoded here, because ARNs arrive with {@code /} encoded
 * as {@code %2F} and must not be split into path segments. Every invocation response names the region that
 * processed it in {@code x-meridian-inference-region}.
 */
public final class BedrockRuntimeService implements HttpService {
    /** Response header naming the region where the request was processed. */
    public static final String INFERENCE_REGION_HEADER = "x-meridian-inference-region";

    private final Gateway gateway;
    private final AuthenticatedRequests requests;
    private final InvokeModelOperations invokeModel;

    private final InvocationLogger invocationLogger;

    public BedrockRuntimeService(
            Gateway gateway, Authenticator callers, Supplier<Catalog> catalog, InvocationLogger invocationLogger) {
        this.gateway = gateway;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", BedrockErrors::of);
        this.invocationLogger = invocationLogger;
        this.invokeModel = new InvokeModelOperations(gateway, invocationLogger);
    }

    /** The invocation as the model invocation log describes it. */
    static InvocationLogger.Call call(
            ServiceRequestContext ctx,
            Caller caller,
            String operation,
            String modelId,
            String inferenceRegion,
            Map<String, String> requestMetadata) {
        return new InvocationLogger.Call(
                RequestIds.of(ctx), caller, operation, modelId, inferenceRegion, requestMetadata);
    }

    /**
     * Converse and InvokeModel answer whole, so Armeria writes each answer in one go (headers and body together,
     * which {@link dev.meridian.server.http.AnswerFlushes} sends in one socket write); the streaming operations
     * and errors for unknown paths stay streamed.
     */
    @Override
    public ExchangeType exchangeType(RoutingContext routing) {
        RuntimePath path = RuntimePath.parse(routing.path());
        return path != null && path.operation() != null && path.operation().answeredWhole()
                ? ExchangeType.REQUEST_STREAMING
                : ExchangeType.BIDI_STREAMING;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        RuntimePath path = RuntimePath.parse(req.path());
        if (path == null) {
            return unknownOperation(req);
        }
        String modelId;
        try {
            modelId = path.modelId();
        } catch (IllegalArgumentException e) {
            return BedrockErrors.of(
                    GatewayException.validation("The provided model identifier is invalid: " + e.getMessage() + "."));
        }
        if (req.method() != HttpMethod.POST || path.operation() == null) {
            return unknownOperation(req);
        }
        Operation op = switch (path.operation()) {
            case CONVERSE -> this::converse;
            case CONVERSE_STREAM -> this::converseStream;
            case INVOKE_MODEL -> invokeModel::invoke;
            case INVOKE_MODEL_WITH_RESPONSE_STREAM -> invokeModel::invokeStream;
            case COUNT_TOKENS -> this::countTokens;
        };
        return requests.serve(
                ctx,
                req,
                (caller, body) -> CompletableFuture.completedFuture(op.handle(ctx, req, caller, modelId, body)));
    }

    /** One runtime operation, given the caller and body; throws {@link GatewayException} for caller errors. */
    @FunctionalInterface
    private interface Operation {
        HttpResponse handle(ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body);
    }

    private HttpResponse converse(
            ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body) {
        ConverseBody c = ConverseBody.of(body);
        return HttpResponse.of(gateway.converse(caller, modelId, c.request(), RequestSpans.of(ctx))
                .thenApply(inv -> respond(ctx, caller, inv, body, c)));
    }

    /** A Converse or ConverseStream body: the canonical request, and which options its answer reports. */
    private record ConverseBody(ChatRequest request, InvocationOptions.Served served) {
        static ConverseBody of(byte[] body) {
            JsonNode root = ConverseCodec.readObject(body);
            return new ConverseBody(ConverseCodec.parse(root), InvocationOptions.Served.ofConverse(root));
        }
    }

    private HttpResponse respond(
            ServiceRequestContext ctx, Caller caller, Invocation inv, byte[] requestBody, ConverseBody converse) {
        InvocationOptions.Served served = converse.served();
        RoutingLog.record(ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.latencyMs());
        if (!inv.routed().succeeded()) {
            return BedrockErrors.of(inv.routed().error());
        }
        ResponseHeaders headers = jsonAnswer(inv.inferenceRegion());
        byte[] answer = ConverseCodec.render(inv.routed().result(), inv.latencyMs(), served);
        invocationLogger.completed(
                call(
                        ctx,
                        caller,
                        RuntimeOperation.CONVERSE.eventName(),
                        inv.target().requestedId(),
                        inv.inferenceRegion(),
                        converse.request().metadata()),
                requestBody,
                answer,
                inv.routed().result().usage());
        return HttpResponse.of(headers, HttpData.wrap(answer));
    }

    private HttpResponse converseStream(
            ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body) {
        ConverseBody c = ConverseBody.of(body);
        return HttpResponse.of(gateway.converseStream(caller, modelId, c.request(), RequestSpans.of(ctx))
                .thenApply(inv -> respondStream(ctx, caller, inv, body, c)));
    }

    /** CountTokens: the count is routed and audited like an invocation (the prompt leaves the gateway). */
    private HttpResponse countTokens(
            ServiceRequestContext ctx, HttpRequest req, Caller caller, String modelId, byte[] body) {
        ChatRequest request = CountTokensCodec.parse(
                body,
                () -> NativeFormats.of(gateway.resolve(caller, modelId).model().id()));
        return HttpResponse.of(gateway.countTokens(caller, modelId, request, RequestSpans.of(ctx))
                .thenApply(count -> {
                    if (!RoutingLog.answered(ctx, caller, count)) {
                        return BedrockErrors.of(count.routed().error());
                    }
                    return HttpResponse.of(
                            jsonAnswer(count.inferenceRegion()),
                            HttpData.wrap(CountTokensCodec.render(count.routed().result())));
                }));
    }

    /**
     * Errors before the first event are ordinary HTTP errors; after it, the stream ends with an exception frame.
     * Events are relayed as the upstream produces them; a caller that disconnects cancels the upstream call.
     */
    private HttpResponse respondStream(
            ServiceRequestContext ctx, Caller caller, StreamInvocation inv, byte[] requestBody, ConverseBody converse) {
        InvocationOptions.Served served = converse.served();
        RoutingLog.record(ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.elapsedMillis());
        if (!inv.routed().succeeded()) {
            return BedrockErrors.of(inv.routed().error());
        }
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.parse(EventStreamWriter.CONTENT_TYPE))
                .add(INFERENCE_REGION_HEADER, inv.inferenceRegion())
                .build();
        StreamMessage<HttpData> frames = invocationLogger
                .streamed(
                        call(
                                ctx,
                                caller,
                                RuntimeOperation.CONVERSE_STREAM.eventName(),
                                inv.target().requestedId(),
                                inv.inferenceRegion(),
                                converse.request().metadata()),
                        requestBody,
                        inv.routed().result().events(),
                        ConverseCodec::renderAnswer)
                .map(event -> ConverseStreamEvents.frame(event, inv::elapsedMillis, served))
                .recoverAndResume(cause -> StreamMessage.of(ConverseStreamEvents.failure(cause)));
        return HttpResponse.of(headers, TurnBatches.of(frames, ctx.eventLoop()));
    }

    /** A whole JSON answer's headers, naming where it was processed. */
    private static ResponseHeaders jsonAnswer(String inferenceRegion) {
        return ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON)
                .add(INFERENCE_REGION_HEADER, inferenceRegion)
                .build();
    }

    private static HttpResponse unknownOperation(HttpRequest req) {
        return BedrockErrors.of(
                "UnknownOperationException",
                HttpStatus.NOT_FOUND,
                "No operation matches " + req.method() + " " + req.path() + ".");
    }
}
