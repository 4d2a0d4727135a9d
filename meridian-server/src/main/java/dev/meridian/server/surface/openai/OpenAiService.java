package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.route.Routed;
import dev.meridian.provider.ChatStream;
import dev.meridian.server.audit.AuditContext;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.ChoicesInvocation;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.gateway.RouteTrace;
import dev.meridian.server.gateway.StreamChoicesInvocation;
import dev.meridian.server.gateway.StreamInvocation;
import dev.meridian.server.gateway.WholeInvocation;
import dev.meridian.server.http.AnswerFlushes;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.http.TurnBatches;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.observe.RequestSpans;
import dev.meridian.server.surface.AuthenticatedRequests;
import dev.meridian.server.surface.RoutingLog;
import dev.meridian.server.surface.bedrock.BedrockRuntimeService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OpenAI-compatible surface under {@code /v1} (and under {@code /openai/v1}, as Bedrock's OpenAI-compatible
 * endpoint serves it): {@code POST /v1/chat/completions} and {@code POST /v1/responses} (each whole or SSE-streamed)
 * and {@code GET /v1/models}. {@code model} may be a foundation model id (in-region
 * call) or an inference profile; an API key's configured region is the source region, so the same residency
 * contract applies as on the Bedrock surface. Errors use OpenAI's error object.
 */
public final class OpenAiService implements HttpService {
    private static final String MODEL_PREFIX = "/models/";

    private final Gateway gateway;
    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final AuthenticatedRequests requests;
    private final InvocationLogger invocationLogger;

    /** Where OpenAI's SDKs send requests: API keys, or SigV4 scoped to {@code bedrock}. */
    public static final String PREFIX = "/v1/";

    /**
     * Where Bedrock's OpenAI-compatible endpoint ({@code bedrock-mantle.{region}.api.aws/openai/v1}) takes the same
     * API, which the OpenAI SDKs' Bedrock clients call: Bedrock API keys, or SigV4 scoped to {@code bedrock-mantle}.
     */
    public static final String BEDROCK_PREFIX = "/openai/v1/";

    /**
     * @param signingName the service SigV4 signatures must be scoped to: {@code bedrock} under {@link #PREFIX},
     *     {@code bedrock-mantle} under {@link #BEDROCK_PREFIX}
     */
    public OpenAiService(
            Gateway gateway,
            Authenticator callers,
            Supplier<Catalog> catalog,
            InvocationLogger invocationLogger,
            String signingName) {
        this.gateway = gateway;
        this.callers = callers;
        this.catalog = catalog;
        this.requests = new AuthenticatedRequests(callers, catalog, signingName, OpenAiErrors::of);
        this.invocationLogger = invocationLogger;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> {
            String path = ctx.mappedPath();
            if (path.equals("/chat/completions") && req.method() == HttpMethod.POST) {
                return chat(ctx, caller, body);
            }
            if (path.equals("/responses") && req.method() == HttpMethod.POST) {
                return responses(ctx, caller, body);
            }
            if (path.equals("/models") && req.method() == HttpMethod.GET) {
                callers.authorize(caller, "bedrock:ListFoundationModels", "*");
                return CompletableFuture.completedFuture(models(caller));
            }
            if (path.startsWith(MODEL_PREFIX) && req.method() == HttpMethod.GET) {
                callers.authorize(caller, "bedrock:GetFoundationModel", "*");
                String id = ctx.decodedMappedPath().substring(MODEL_PREFIX.length());
                return CompletableFuture.completedFuture(model(caller, id));
            }
            return CompletableFuture.completedFuture(OpenAiErrors.invalidUrl(req.method(), req.path()));
        });
    }

    private CompletableFuture<HttpResponse> chat(ServiceRequestContext ctx, Caller caller, byte[] body) {
        ChatCompletionsCodec.Parsed p = ChatCompletionsCodec.parse(body);
        AuditContext.requestedModel(ctx, p.model());
        Asked asked = new Asked(
                ctx,
                caller,
                body,
                "CreateChatCompletion",
                p.model(),
                p.request().metadata());
        String id = "chatcmpl-" + RequestIds.of(ctx).replace("-", "");
        long created = Instant.now().getEpochSecond();
        RouteTrace trace = RequestSpans.of(ctx);
        try {
            if (p.choices() > 1 && p.stream()) {
                return gateway.converseStreamChoices(caller, p.model(), p.request(), p.choices(), trace)
                        .thenApply(inv -> streamedChoices(asked, p, id, created, inv));
            }
            if (p.choices() > 1) {
                return gateway.converseChoices(caller, p.model(), p.request(), p.choices(), trace)
                        .thenApply(inv -> whole(
                                asked,
                                inv,
                                answers -> ChatCompletionsCodec.render(answers, id, p.model(), created),
                                ChoicesInvocation::processed));
            }
            if (!p.stream()) {
                return gateway.converse(caller, p.model(), p.request(), trace)
                        .thenApply(inv -> whole(
                                asked,
                                inv,
                                answer -> ChatCompletionsCodec.render(answer, id, p.model(), created),
                                ChatResponse::usage));
            }
            ChatCompletionChunks chunks = new ChatCompletionChunks(id, p.model(), created, p.includeUsage());
            return gateway.converseStream(caller, p.model(), p.request(), trace)
                    .thenApply(inv -> streamed(
                            asked,
                            inv,
                            answer -> ChatCompletionsCodec.render(answer, id, p.model(), created),
                            chunks::encode,
                            ChatCompletionChunks::failure));
        } catch (GatewayException e) {
            throw p.inOwnTerms(e); // the output-limit check names its parameter as this request spelt it
        }
    }

    /**
     * A routed request's whole answer ({@code render}, one choice or several), logged as the invocation log asks,
     * with where it was processed; or its error in OpenAI's shape.
     */
    private <T> HttpResponse whole(
            Asked asked, WholeInvocation<T> inv, Function<T, ObjectNode> render, Function<T, Usage> processed) {
        Routed<T> routed = inv.routed();
        if (!RoutingLog.answered(asked.ctx(), asked.caller(), inv)) {
            return OpenAiErrors.of(routed.error());
        }
        String region = inv.inferenceRegion();
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON)
                .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, region)
                .build();
        byte[] answer = Json.bytes(render.apply(routed.result()));
        invocationLogger.completed(asked.call(region), asked.body(), answer, processed.apply(routed.result()));
        AnswerFlushes.answeredWhole(asked.ctx());
        return HttpResponse.of(headers, HttpData.wrap(answer));
    }

    /**
     * A routed request's streamed answer: its events written by {@code encode} as they come (a failure after the
     * first byte by {@code failure}), the whole answer logged ({@code render}) as the invocation log asks; or its
     * error in OpenAI's shape.
     */
    private HttpResponse streamed(
            Asked asked,
            StreamInvocation inv,
            Function<ChatResponse, JsonNode> render,
            Function<ChatEvent, HttpData> encode,
            Function<Throwable, HttpData> failure) {
        if (!RoutingLog.started(asked.ctx(), asked.caller(), inv)) {
            return OpenAiErrors.of(inv.routed().error());
        }
        StreamMessage<HttpData> events = invocationLogger
                .streamed(
                        asked.call(inv.inferenceRegion()),
                        asked.body(),
                        inv.routed().result().events(),
                        render)
                .map(encode)
                .recoverAndResume(cause -> StreamMessage.of(failure.apply(cause)));
        return eventStream(asked.ctx(), inv.inferenceRegion(), events);
    }

    /**
     * Several choices streamed in one answer: each choice's chunks carry its index and are written as they come,
     * interleaved with the others' as OpenAI's are (all are generated at once at the destination), and one usage
     * chunk (the prompt once, every choice's output) and {@code [DONE]} end the stream once every choice has ended.
     */
    private HttpResponse streamedChoices(
            Asked asked, ChatCompletionsCodec.Parsed p, String id, long created, StreamChoicesInvocation inv) {
        ServiceRequestContext ctx = asked.ctx();
        RoutingLog.record(
                ctx, asked.caller(), inv.target().requestedId(), inv.routed().decision(), inv.elapsedMillis());
        if (!inv.routed().succeeded()) {
            return OpenAiErrors.of(inv.routed().error());
        }
        List<ChatStream> streams = inv.routed().result();
        List<StreamMessage<ChatEvent>> logged = invocationLogger.streamedChoices(
                asked.call(inv.inferenceRegion()),
                asked.body(),
                streams.stream().map(ChatStream::events).toList(),
                answers -> ChatCompletionsCodec.render(answers, id, p.model(), created),
                ChoicesInvocation::processed);
        List<StreamMessage<HttpData>> parts = new ArrayList<>(logged.size());
        int[] output = new int[1];
        int[] prompt = {-1};
        for (int i = 0; i < logged.size(); i++) {
            ChatCompletionChunks chunks = ChatCompletionChunks.ofChoice(id, p.model(), created, i);
            parts.add(logged.get(i)
                    .peek(event -> {
                        if (event instanceof ChatEvent.Metadata m) {
                            output[0] += m.usage().outputTokens();
                            if (prompt[0] < 0) {
                                prompt[0] = m.usage().inputTokens();
                            }
                        }
                    })
                    .map(chunks::encode));
        }
        StreamMessage<HttpData> events = ChoiceStreams.interleaved(
                parts,
                () -> ChatCompletionChunks.end(
                        id, p.model(), created, p.includeUsage(), new Usage(Math.max(0, prompt[0]), output[0])),
                ctx.eventLoop());
        return eventStream(ctx, inv.inferenceRegion(), events);
    }

    /** A streamed answer: server-sent {@code events}, the processing region in a header, one write per loop turn. */
    private static HttpResponse eventStream(
            ServiceRequestContext ctx, String inferenceRegion, StreamMessage<HttpData> events) {
        return HttpResponse.of(
                ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.EVENT_STREAM)
                        .add(BedrockRuntimeService.INFERENCE_REGION_HEADER, inferenceRegion)
                        .build(),
                TurnBatches.of(events, ctx.eventLoop()));
    }

    /** One OpenAI request being answered: its exchange, caller and body, and how the invocation log names it. */
    private record Asked(
            ServiceRequestContext ctx,
            Caller caller,
            byte[] body,
            String operation,
            String model,
            Map<String, String> metadata) {
        InvocationLogger.Call call(String inferenceRegion) {
            return new InvocationLogger.Call(RequestIds.of(ctx), caller, operation, model, inferenceRegion, metadata);
        }
    }

    /**
     * {@code POST /v1/responses}: one answer, whole or streamed as the Responses API's events; routed, audited and
     * logged as a chat completion is.
     */
    private CompletableFuture<HttpResponse> responses(ServiceRequestContext ctx, Caller caller, byte[] body) {
        ResponsesCodec.Parsed p = ResponsesCodec.parse(body);
        AuditContext.requestedModel(ctx, p.model());
        Asked asked = new Asked(
                ctx, caller, body, "CreateResponse", p.model(), p.request().metadata());
        String id = "resp_" + RequestIds.of(ctx).replace("-", "");
        long created = Instant.now().getEpochSecond();
        RouteTrace trace = RequestSpans.of(ctx);
        try {
            if (!p.stream()) {
                return gateway.converse(caller, p.model(), p.request(), trace)
                        .thenApply(inv -> whole(
                                asked,
                                inv,
                                answer -> ResponsesCodec.render(p, answer, id, created),
                                ChatResponse::usage));
            }
            ResponseEvents events = new ResponseEvents(p, id, created);
            return gateway.converseStream(caller, p.model(), p.request(), trace)
                    .thenApply(inv -> streamed(
                            asked,
                            inv,
                            answer -> ResponsesCodec.render(p, answer, id, created),
                            events::encode,
                            events::failure));
        } catch (GatewayException e) {
            throw p.inOwnTerms(e);
        }
    }

    /** {@code GET /v1/models}: what the key's source region can invoke, models and profiles alike. */
    private HttpResponse models(Caller caller) {
        ObjectNode root = Json.object().put("object", "list");
        root.putArray("data").addAll(invocable(caller));
        return Json.ok(root);
    }

    /**
     * {@code GET /v1/models/{model}} (the SDKs' {@code models.retrieve}): one entry of that list, or OpenAI's 404
     * {@code model_not_found} for anything else, including a model the key's region cannot invoke.
     */
    private HttpResponse model(Caller caller, String id) {
        for (ObjectNode entry : invocable(caller)) {
            if (entry.get("id").textValue().equals(id)) {
                return Json.ok(entry);
            }
        }
        throw GatewayException.notFound("The model '" + id + "' does not exist");
    }

    private List<ObjectNode> invocable(Caller caller) {
        Catalog c = catalog.get();
        List<ObjectNode> entries = new ArrayList<>();
        for (FoundationModel m : c.models()) {
            if (m.servedIn(caller.sourceRegion())) {
                entries.add(entry(m.id(), 0, m.provider()));
            }
        }
        for (var offered : DestinationRules.offeredIn(c, caller.sourceRegion())) {
            entries.add(
                    entry(offered.profile().id(), offered.profile().createdAt().getEpochSecond(), "meridian"));
        }
        return entries;
    }

    private static ObjectNode entry(String id, long created, String ownedBy) {
        return Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", created)
                .put("owned_by", ownedBy);
    }
}
