package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.server.audit.AuditContext;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.surface.AuthenticatedRequests;
import dev.meridian.server.surface.RoutingLog;
import dev.meridian.server.surface.bedrock.BedrockRuntimeService;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The OpenAI-compatible surface under {@code /v1}: {@code POST /v1/chat/completions} (whole or SSE-streamed) and
 * {@code GET /v1/models}. {@code model} may be a foundation model id (in-region call) or an inference profile; an
 * API key's configured region is the source region, so the same residency contract applies as on the Bedrock
 * surface. Errors use OpenAI's error object.
 */
public final class OpenAiService implements HttpService {
    private final Gateway gateway;
    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final AuthenticatedRequests requests;
    private final InvocationLogger invocationLogger;

    public OpenAiService(
            Gateway gateway, Authenticator callers, Supplier<Catalog> catalog, InvocationLogger invocationLogger) {
        this.gateway = gateway;
        this.callers = callers;
        this.catalog = catalog;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", OpenAiErrors::of);
        this.invocationLogger = invocationLogger;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> {
            String path = ctx.mappedPath();
            if (path.equals("/chat/completions") && req.method() == HttpMethod.POST) {
                return chat(ctx, caller, body);
            }
            if (path.equals("/models") && req.method() == HttpMethod.GET) {
                callers.authorize(caller, "bedrock:ListFoundationModels", "*");
                return CompletableFuture.completedFuture(models(caller));
            }
            return CompletableFuture.completedFuture(OpenAiErrors.invalidUrl(req.method(), req.path()));
        });
    }

    private CompletableFuture<HttpResponse> chat(ServiceRequestContext ctx, Caller caller, byte[] body) {
        ChatCompletionsCodec.Parsed p = ChatCompletionsCodec.parse(body);
        AuditContext.requestedModel(ctx, p.model());
        String id = "chatcmpl-" + RequestIds.of(ctx).replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!p.stream()) {
            return gateway.converse(caller, p.model(), p.request()).thenApply(inv -> {
                RoutingLog.record(
                        ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.latencyMs());
                if (!inv.routed().succeeded()) {
                    return OpenAiErrors.of(inv.routed().error());
                }
                ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.JSON)
                        .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inv.inferenceRegion())
                        .build();
                byte[] answer =
                        Json.bytes(ChatCompletionsCodec.render(inv.routed().result(), id, p.model(), created));
                invocationLogger.completed(
                        call(ctx, caller, p.model(), inv.inferenceRegion()),
                        body,
                        answer,
                        inv.routed().result().usage());
                return HttpResponse.of(headers, HttpData.wrap(answer));
            });
        }
        return gateway.converseStream(caller, p.model(), p.request()).thenApply(inv -> {
            RoutingLog.record(
                    ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.elapsedMillis());
            if (!inv.routed().succeeded()) {
                return OpenAiErrors.of(inv.routed().error());
            }
            ChatCompletionChunks chunks = new ChatCompletionChunks(id, p.model(), created, p.includeUsage());
            ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(MediaType.EVENT_STREAM)
                    .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inv.inferenceRegion())
                    .build();
            StreamMessage<HttpData> events = invocationLogger
                    .streamed(
                            call(ctx, caller, p.model(), inv.inferenceRegion()),
                            body,
                            inv.routed().result().events(),
                            answer -> ChatCompletionsCodec.render(answer, id, p.model(), created))
                    .map(chunks::encode)
                    .recoverAndResume(cause -> StreamMessage.of(ChatCompletionChunks.failure(cause)));
            return HttpResponse.of(headers, events);
        });
    }

    private static InvocationLogger.Call call(
            ServiceRequestContext ctx, Caller caller, String model, String inferenceRegion) {
        return new InvocationLogger.Call(RequestIds.of(ctx), caller, "CreateChatCompletion", model, inferenceRegion);
    }

    private HttpResponse models(Caller caller) {
        Catalog c = catalog.get();
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (FoundationModel m : c.models()) {
            if (m.servedIn(caller.sourceRegion())) {
                data.addObject()
                        .put("id", m.id())
                        .put("object", "model")
                        .put("created", 0)
                        .put("owned_by", m.provider());
            }
        }
        for (var offered : DestinationRules.offeredIn(c, caller.sourceRegion())) {
            data.addObject()
                    .put("id", offered.profile().id())
                    .put("object", "model")
                    .put("created", offered.profile().createdAt().getEpochSecond())
                    .put("owned_by", "meridian");
        }
        return Json.ok(root);
    }
}
