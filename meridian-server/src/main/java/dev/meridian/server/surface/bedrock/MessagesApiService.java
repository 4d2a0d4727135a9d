package dev.meridian.server.surface.bedrock;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.audit.AuditContext;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.gateway.Invocation;
import dev.meridian.server.gateway.StreamInvocation;
import dev.meridian.server.http.AnswerFlushes;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.http.TurnBatches;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.observe.RequestSpans;
import dev.meridian.server.surface.AuthenticatedRequests;
import dev.meridian.server.surface.RoutingLog;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bedrock's Messages endpoint for Claude, {@code POST /anthropic/v1/messages}: Anthropic's Messages API itself
 * (model in the body, version in a header, answers whole or as server-sent events, errors in Anthropic's shape), as
 * Anthropic's {@code AnthropicBedrockMantle} clients call it with a base URL ending in {@code /anthropic}, signed for
 * the {@code bedrock-mantle} service or with a Bedrock API key. {@code model} may be a Claude model or an inference
 * profile of one; routing, residency, audit ({@code CreateMessage}) and the invocation log are InvokeModel's.
 * {@code POST /anthropic/v1/messages/count_tokens} counts a message's input tokens as Bedrock's CountTokens does.
 */
public final class MessagesApiService implements HttpService {
    /** Where the endpoint is mounted, as the SDKs' base URL ends. */
    public static final String PREFIX = "/anthropic/";

    private static final String SIGNING_NAME = "bedrock-mantle";
    private static final String OPERATION = "CreateMessage";

    private final Gateway gateway;
    private final AuthenticatedRequests requests;
    private final InvocationLogger invocationLogger;

    public MessagesApiService(
            Gateway gateway, Authenticator callers, Supplier<Catalog> catalog, InvocationLogger invocationLogger) {
        this.gateway = gateway;
        this.requests = new AuthenticatedRequests(callers, catalog, SIGNING_NAME, AnthropicErrors::of);
        this.invocationLogger = invocationLogger;
    }

    /** Renders what the HTTP server refuses itself under {@link #PREFIX} (a body too large) in Anthropic's shape. */
    public static ServiceErrorHandler errorHandler() {
        return new AnthropicErrors();
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> {
            if (req.method() == HttpMethod.POST && ctx.mappedPath().equals("/v1/messages")) {
                return messages(ctx, req, caller, body);
            }
            if (req.method() == HttpMethod.POST && ctx.mappedPath().equals("/v1/messages/count_tokens")) {
                return countTokens(ctx, caller, MessagesRequest.parseCount(req.headers(), body));
            }
            throw GatewayException.notFound("Not found: " + req.method() + " " + req.path());
        });
    }

    /** One Messages API request being answered: its exchange, caller, request and body. */
    private record Asked(ServiceRequestContext ctx, Caller caller, MessagesRequest m, byte[] body) {
        /** The invocation as the model invocation log describes it, processed in {@code inferenceRegion}. */
        InvocationLogger.Call call(String inferenceRegion) {
            return BedrockRuntimeService.call(
                    ctx,
                    caller,
                    OPERATION,
                    m.model(),
                    inferenceRegion,
                    m.request().metadata());
        }
    }

    /** The model, checked to be Claude's: the Messages API serves Anthropic's models only. */
    private void requireClaude(Caller caller, String requested) {
        if (!gateway.resolve(caller, requested).model().id().startsWith("anthropic.")) {
            throw GatewayException.validation("model: " + requested + " is not a Claude model; the Messages API"
                    + " serves Anthropic's models (use Converse for every model).");
        }
    }

    /** Counts where the model runs, routed and audited as Bedrock's CountTokens is (the prompt leaves). */
    private CompletableFuture<HttpResponse> countTokens(ServiceRequestContext ctx, Caller caller, MessagesRequest m) {
        AuditContext.requestedModel(ctx, m.model());
        requireClaude(caller, m.model());
        return gateway.countTokens(caller, m.model(), m.request(), RequestSpans.of(ctx))
                .thenApply(count -> {
                    if (!RoutingLog.answered(ctx, caller, count)) {
                        return AnthropicErrors.of(count.routed().error());
                    }
                    byte[] answer = Json.bytes(
                            Json.object().put("input_tokens", count.routed().result()));
                    return HttpResponse.of(
                            headers(MediaType.JSON, count.inferenceRegion(), RequestIds.of(ctx)),
                            HttpData.wrap(answer));
                });
    }

    private CompletableFuture<HttpResponse> messages(
            ServiceRequestContext ctx, HttpRequest req, Caller caller, byte[] body) {
        MessagesRequest m = MessagesRequest.parse(req.headers(), body);
        AuditContext.requestedModel(ctx, m.model());
        requireClaude(caller, m.model());
        Asked asked = new Asked(ctx, caller, m, body);
        if (!m.stream()) {
            return gateway.converse(caller, m.model(), m.request(), RequestSpans.of(ctx))
                    .thenApply(inv -> whole(asked, inv));
        }
        return gateway.converseStream(caller, m.model(), m.request(), RequestSpans.of(ctx))
                .thenApply(inv -> streamed(asked, inv));
    }

    private HttpResponse whole(Asked asked, Invocation inv) {
        if (!RoutingLog.answered(asked.ctx(), asked.caller(), inv)) {
            return AnthropicErrors.of(inv.routed().error());
        }
        var result = inv.routed().result();
        String requestId = RequestIds.of(asked.ctx());
        byte[] answer =
                Json.bytes(NativeFormats.anthropic().render(result, asked.m().model(), requestId));
        invocationLogger.completed(asked.call(inv.inferenceRegion()), asked.body(), answer, result.usage());
        AnswerFlushes.answeredWhole(asked.ctx());
        return HttpResponse.of(headers(MediaType.JSON, inv.inferenceRegion(), requestId), HttpData.wrap(answer));
    }

    private HttpResponse streamed(Asked asked, StreamInvocation inv) {
        if (!RoutingLog.started(asked.ctx(), asked.caller(), inv)) {
            return AnthropicErrors.of(inv.routed().error());
        }
        String requestId = RequestIds.of(asked.ctx());
        String model = asked.m().model();
        MessagesEvents events = new MessagesEvents(model, requestId);
        StreamMessage<HttpData> sse = invocationLogger
                .streamed(
                        asked.call(inv.inferenceRegion()),
                        asked.body(),
                        inv.routed().result().events(),
                        answer -> NativeFormats.anthropic().render(answer, model, requestId))
                .map(events::encode)
                .recoverAndResume(cause -> StreamMessage.of(AnthropicErrors.streamFailure(cause)));
        return HttpResponse.of(
                headers(MediaType.EVENT_STREAM, inv.inferenceRegion(), requestId),
                TurnBatches.of(sse, asked.ctx().eventLoop()));
    }

    /** The answer's headers: where it was processed, and the request id where Anthropic's SDKs look for it. */
    private static ResponseHeaders headers(MediaType type, String inferenceRegion, String requestId) {
        return ResponseHeaders.builder(HttpStatus.OK)
                .contentType(type)
                .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inferenceRegion)
                .add("request-id", requestId)
                .build();
    }
}
