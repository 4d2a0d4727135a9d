package dev.meridian.server.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.server.surface.bedrock.BedrockErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every error the framework raises itself (unknown route, body too large, a bug in a service) into an
 * AWS-shaped error, so callers never see an HTML page or a stack trace. Unexpected exceptions are logged with
 * the request id, and the caller gets only that id. A request refused before its headers could be read (a URI or
 * headers too long) cannot be told apart by path, so its error reads as both Bedrock's and OpenAI's.
 */
public final class BedrockErrorHandler implements ServerErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(BedrockErrorHandler.class);

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        HttpStatus status = FrameworkErrors.statusOf(cause);
        if (status != null) {
            return renderStatus(ctx, ctx.config(), ctx.request().headers(), status, null, null)
                    .toHttpResponse();
        }
        if (FrameworkErrors.endedExchange(cause)) {
            return HttpResponse.ofFailure(cause); // the answer is sent or the caller gone: nothing went wrong here
        }
        log.error("requestId={} unexpected failure", RequestIds.of(ctx), cause);
        return BedrockErrors.of(
                "InternalServerException",
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal server error (request id " + RequestIds.of(ctx) + ").");
    }

    @Override
    public AggregatedHttpResponse renderStatus(
            ServiceRequestContext ctx,
            ServiceConfig config,
            RequestHeaders headers,
            HttpStatus status,
            String description,
            Throwable cause) {
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            return tooLarge();
        }
        if (status == HttpStatus.NOT_FOUND || status == HttpStatus.METHOD_NOT_ALLOWED) {
            return BedrockErrors.aggregated(
                    "UnknownOperationException",
                    HttpStatus.NOT_FOUND,
                    "No operation matches "
                            + (headers == null ? "this request" : headers.method() + " " + headers.path()) + ".");
        }
        String name = status.code() >= 500 ? "InternalServerException" : "ValidationException";
        String message = description != null ? description : status.reasonPhrase();
        if (headers == null) {
            return BedrockErrors.aggregatedForEitherSurface(name, status, message);
        }
        return BedrockErrors.aggregated(name, status, message);
    }

    private static AggregatedHttpResponse tooLarge() {
        return BedrockErrors.aggregated(
                "ValidationException", HttpStatus.REQUEST_ENTITY_TOO_LARGE, FrameworkErrors.TOO_LARGE_MESSAGE);
    }
}
