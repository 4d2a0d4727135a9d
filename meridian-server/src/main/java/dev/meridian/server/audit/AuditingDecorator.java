package dev.meridian.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.surface.bedrock.BedrockErrors;
import dev.meridian.server.surface.bedrock.BedrockRuntimeService;
import dev.meridian.server.surface.openai.OpenAiErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one audit event per authenticated API call and holds the response back until that event is durable:
 * no caller ever receives an answer the trail does not have. Invocation responses (streams included) pass
 * through unbuffered once their headers are known; only errors and the answers of mutating control-plane calls
 * are read, for the record's {@code errorMessage} and {@code responseElements} (reads record none, as in
 * CloudTrail, which also keeps large listings out of the trail). If the event cannot be stored, the caller gets
 * {@code ServiceUnavailableException} instead of the answer.
 */
public final class AuditingDecorator implements DecoratingHttpServiceFunction {
    private static final Logger log = LoggerFactory.getLogger(AuditingDecorator.class);

    private final AuditTrail trail;
    private final String accountId;
    private final java.util.Set<String> peerPrincipals;
    private final AuditWaits waits;

    /**
     * @param peerPrincipals principals that are forwarding gateways: the forwarding gateway records the call in
     *     the caller's source region, so it is not recorded here a second time
     * @param waits told of each event's wait to be durable (a trace span), or {@link AuditWaits#NONE}
     */
    public AuditingDecorator(
            AuditTrail trail, String accountId, java.util.Set<String> peerPrincipals, AuditWaits waits) {
        this.trail = trail;
        this.accountId = accountId;
        this.peerPrincipals = java.util.Set.copyOf(peerPrincipals);
        this.waits = waits;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        AuditedOperation op = AuditedOperation.of(req);
        if (op == null) {
            return delegate.serve(ctx, req);
        }
        Instant received = Instant.now();
        if (op.invocation()) {
            return audited(ctx, op, received, null, delegate.serve(ctx, req));
        }
        return HttpResponse.of(req.aggregate().thenApply(agg -> {
            JsonNode params = controlParameters(ctx, agg.content().array());
            try {
                return audited(ctx, op, received, params, delegate.serve(ctx, agg.toHttpRequest()));
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    private HttpResponse audited(
            ServiceRequestContext ctx, AuditedOperation op, Instant received, JsonNode params, HttpResponse res) {
        SplitHttpResponse split = res.split();
        return HttpResponse.of(split.headers().thenCompose(headers -> {
            Caller caller = ctx.attr(Authenticator.CALLER);
            if (caller == null || forwardedByPeer(ctx, caller)) {
                return CompletableFuture.completedFuture(HttpResponse.of(headers, split.body()));
            }
            boolean readBody = headers.status().isError() || !(op.invocation() || op.readOnly());
            if (!readBody) {
                return record(ctx, op, received, caller, params, headers, null)
                        .handle((ok, failure) -> failure == null
                                ? HttpResponse.of(headers, split.body())
                                : unavailable(ctx, split, failure));
            }
            return split.body().collect().thenCompose(chunks -> {
                byte[] body = concat(chunks);
                // an error answer carries no result to withhold: it is passed on even if it cannot be recorded
                return record(ctx, op, received, caller, params, headers, body)
                        .handle((ok, failure) ->
                                failure == null || headers.status().isError()
                                        ? HttpResponse.of(headers, HttpData.wrap(body))
                                        : unavailable(ctx, split, failure));
            });
        }));
    }

    /**
     * A call a peer gateway forwarded over mutual TLS: the forwarding gateway keeps its record in the caller's
     * source region. Over a connection without a verified client certificate the same key is audited normally.
     */
    private boolean forwardedByPeer(ServiceRequestContext ctx, Caller caller) {
        if (!peerPrincipals.contains(caller.principal())) {
            return false;
        }
        var session = ctx.sslSession();
        try {
            return session != null && session.getPeerCertificates().length > 0;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private CompletableFuture<ChainedEntry> record(
            ServiceRequestContext ctx,
            AuditedOperation op,
            Instant received,
            Caller caller,
            JsonNode params,
            ResponseHeaders headers,
            byte[] body) {
        JsonNode parsed = body == null ? null : parse(body);
        String errorCode = null;
        String errorMessage = null;
        JsonNode responseElements = null;
        if (headers.status().isError()) {
            errorCode = errorCode(headers, parsed);
            errorMessage = errorMessage(parsed);
        } else if (!op.invocation() && !op.readOnly() && parsed != null && parsed.isObject()) {
            responseElements = parsed; // as CloudTrail: what a mutation returned; reads record none
        }
        JsonNode requestParameters = params;
        if (op.invocation()) {
            ObjectNode p = Json.object();
            String model = op.resourceName() != null ? op.resourceName() : ctx.attr(AuditContext.MODEL_ID);
            if (model != null) {
                p.put("modelId", model);
            }
            requestParameters = p;
        }
        InetSocketAddress remote = ctx.remoteAddress();
        AuditEntry entry = CloudTrailRecord.entry(new CloudTrailRecord.Facts(
                op,
                caller,
                accountId,
                received,
                RequestIds.of(ctx),
                remote.getAddress().getHostAddress(),
                ctx.request().headers().get("user-agent", ""),
                requestParameters,
                responseElements,
                headers.get(BedrockRuntimeService.INFERENCE_REGION_HEADER),
                errorCode,
                errorMessage,
                ctx.attr(AuditContext.ATTEMPTED_REGIONS)));
        Consumer<Throwable> durable = waits.started(ctx, caller.sourceRegion());
        CompletableFuture<ChainedEntry> stored = trail.record(caller.sourceRegion(), entry);
        if (durable != null) {
            stored.whenComplete((e, failure) -> durable.accept(failure));
        }
        return stored;
    }

    private HttpResponse unavailable(ServiceRequestContext ctx, SplitHttpResponse split, Throwable failure) {
        split.body().abort();
        log.error("requestId={} answer withheld: its audit event could not be stored", RequestIds.of(ctx));
        GatewayException e = new GatewayException(
                ErrorKind.SERVICE_UNAVAILABLE,
                "The request could not be recorded in the audit trail, so its result is withheld. Retry later.");
        return ctx.path().startsWith("/v1/") ? OpenAiErrors.of(e) : BedrockErrors.of(e);
    }

    private static JsonNode controlParameters(ServiceRequestContext ctx, byte[] body) {
        ObjectNode params = Json.object();
        ctx.queryParams().forEach((k, v) -> params.put(k, v));
        JsonNode json = body.length == 0 ? null : parse(body);
        if (json != null && json.isObject()) {
            params.setAll((ObjectNode) json);
        }
        return params.isEmpty() ? null : params;
    }

    private static String errorCode(ResponseHeaders headers, JsonNode body) {
        String type = headers.get("x-amzn-errortype");
        if (type != null) {
            int colon = type.indexOf(':');
            String name = colon < 0 ? type : type.substring(0, colon);
            return name.equals("AccessDeniedException") ? "AccessDenied" : name;
        }
        if (body != null && body.has("__type")) {
            return body.get("__type").asText();
        }
        if (body != null && body.path("error").isObject()) {
            JsonNode error = body.get("error");
            return error.hasNonNull("code")
                    ? error.get("code").asText()
                    : error.path("type").asText(null);
        }
        return "HTTP" + headers.status().code();
    }

    private static String errorMessage(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String field : List.of("message", "Message")) {
            if (body.hasNonNull(field)) {
                return body.get(field).asText();
            }
        }
        return body.path("error").path("message").asText(null);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] concat(List<HttpData> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (HttpData d : chunks) {
            out.writeBytes(d.array());
        }
        return out.toByteArray();
    }
}
