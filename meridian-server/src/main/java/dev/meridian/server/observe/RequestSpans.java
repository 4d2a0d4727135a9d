package dev.meridian.server.observe;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.error.Failures;
import dev.meridian.core.route.RoutingDecision;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.server.audit.AuditedOperation;
import dev.meridian.server.gateway.RouteTrace;
import dev.meridian.server.http.CallerDeparture;
import dev.meridian.server.http.RequestIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A server span for every API call, continuing the caller's trace when its request carries W3C trace context,
 * and under it a client span for every attempt at a destination, whose context travels to the upstream. The
 * request's span says where the request was processed and what was allowed, so a trace answers the residency
 * question too. Spans carry identifiers and regions, never prompts, answers or credentials. Installed only when
 * {@link Tracing} is on; calls that are not API operations ({@code /metrics}, the admin API) are not traced.
 */
public final class RequestSpans implements DecoratingHttpServiceFunction {
    private static final io.netty.util.AttributeKey<RequestTrace> TRACE =
            io.netty.util.AttributeKey.valueOf(RequestSpans.class, "trace");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("aws.request_id");
    private static final AttributeKey<String> SOURCE_REGION = AttributeKey.stringKey("meridian.source_region");
    private static final AttributeKey<String> INFERENCE_REGION = AttributeKey.stringKey("meridian.inference_region");
    private static final AttributeKey<List<String>> ALLOWED = AttributeKey.stringArrayKey("meridian.allowed_regions");
    private static final AttributeKey<String> RULE = AttributeKey.stringKey("meridian.destination_rule");
    private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("meridian.attempts");
    private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("meridian.destination_region");
    private static final AttributeKey<String> FAILURE = AttributeKey.stringKey("meridian.attempt.failure");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> AUDIT_REGION = AttributeKey.stringKey("meridian.audit.region");

    private static final TextMapGetter<RequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RequestHeaders carrier) {
            return carrier.names().stream().map(Object::toString).toList();
        }

        @Override
        public String get(RequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracing tracing;

    public RequestSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        AuditedOperation op = AuditedOperation.of(req);
        if (op == null) {
            return delegate.serve(ctx, req);
        }
        Context parent = tracing.propagator().extract(Context.root(), req.headers(), HEADERS);
        Span span = tracing.tracer()
                .spanBuilder(op.eventName())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, req.method().name())
                .setAttribute(REQUEST_ID, RequestIds.of(ctx))
                .startSpan();
        ctx.setAttr(TRACE, new RequestTrace(tracing, span, ctx));
        ctx.log().whenComplete().thenAccept(log -> {
            int status = log.responseHeaders().status().code();
            span.setAttribute(STATUS, (long) status);
            if (log.responseCause() != null) { // e.g. the caller went away mid-stream
                span.setStatus(StatusCode.ERROR, log.responseCause().getClass().getSimpleName());
            } else if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
        return delegate.serve(ctx, req);
    }

    /**
     * The wait for {@code ctx}'s audit event to be durable, which holds its answer back, as a child span of the
     * request's ({@code audit}, with the trail's region); {@code null} when the request is not traced.
     */
    public static Consumer<Throwable> auditWait(ServiceRequestContext ctx, String sourceRegion) {
        RequestTrace trace = ctx.attr(TRACE);
        if (trace == null) {
            return null;
        }
        Span wait = trace.tracing()
                .tracer()
                .spanBuilder("audit")
                .setParent(Context.root().with(trace.span()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(AUDIT_REGION, sourceRegion)
                .startSpan();
        return failure -> {
            if (failure != null) {
                wait.setStatus(
                        StatusCode.ERROR, Failures.cause(failure).getClass().getSimpleName());
            }
            wait.end();
        };
    }

    /**
     * Where the routing of {@code ctx}'s request reports (its span, or nowhere when it is not traced) and hears
     * whether the caller went away ({@link CallerDeparture}).
     */
    public static RouteTrace of(ServiceRequestContext ctx) {
        RouteTrace trace = ctx.attr(TRACE);
        return trace == null ? new Untraced(ctx) : trace;
    }

    /** A request that is not traced: nothing to report, but its caller is followed. */
    private record Untraced(ServiceRequestContext ctx) implements RouteTrace {
        @Override
        public Attempt attempt(String region) {
            return Attempt.NONE;
        }

        @Override
        public void routed(RoutingDecision decision) {}

        @Override
        public CompletionStage<?> callerGone() {
            return CallerDeparture.of(ctx);
        }
    }

    /** One traced request: attempts become child spans, the decision becomes the request span's attributes. */
    private record RequestTrace(Tracing tracing, Span span, ServiceRequestContext ctx) implements RouteTrace {
        @Override
        public CompletionStage<?> callerGone() {
            return CallerDeparture.of(ctx);
        }

        @Override
        public Attempt attempt(String region) {
            Span attempt = tracing.tracer()
                    .spanBuilder("attempt " + region)
                    .setParent(Context.root().with(span))
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(DESTINATION, region)
                    .startSpan();
            Map<String, String> headers = new HashMap<>(4);
            tracing.propagator().inject(Context.root().with(attempt), headers, Map::put);
            return new Attempt() {
                @Override
                public Map<String, String> headers() {
                    return headers;
                }

                @Override
                public void ended(Throwable failure) {
                    if (failure != null) {
                        Throwable cause = Failures.cause(failure);
                        attempt.setAttribute(FAILURE, failureKind(cause));
                        // providers' messages are sanitised for callers; anything else is named by its type only
                        attempt.setStatus(
                                StatusCode.ERROR,
                                cause instanceof UpstreamException
                                        ? cause.getMessage()
                                        : cause.getClass().getSimpleName());
                    }
                    attempt.end();
                }
            };
        }

        @Override
        public void routed(RoutingDecision decision) {
            span.setAttribute(MODEL, decision.modelId());
            span.setAttribute(SOURCE_REGION, decision.allowed().sourceRegion());
            span.setAttribute(
                    ALLOWED, List.copyOf(new TreeSet<>(decision.allowed().regions())));
            span.setAttribute(RULE, decision.allowed().rule());
            span.setAttribute(ATTEMPTS, (long) decision.attempts().size());
            if (decision.chosenRegion() != null) {
                span.setAttribute(INFERENCE_REGION, decision.chosenRegion());
            }
        }

        private static String failureKind(Throwable cause) {
            if (cause instanceof UpstreamException u) {
                return u.kind().name().toLowerCase(Locale.ROOT);
            }
            return cause instanceof TimeoutException ? "timeout" : "server_error";
        }
    }
}
