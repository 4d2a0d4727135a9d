package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.FrameworkErrors;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.StatusErrorHandler;
import dev.meridian.server.surface.SdkStatuses;
import dev.meridian.server.surface.StreamFailures;

/**
 * Anthropic's error shape ({@code {"type": "error", "error": {"type", "message"}}}) with the statuses Anthropic's
 * SDKs map to their error classes (400 BadRequest, 401 Authentication, 403 PermissionDenied, 404 NotFound, 413,
 * 429 RateLimit, 5xx InternalServer; 529 overloaded, 504 timeout), for Bedrock's Messages endpoint. As an error
 * handler it renders the errors the HTTP server raises itself there (a body over {@code server.maxRequestBytes}).
 */
final class AnthropicErrors implements StatusErrorHandler {
    /** The Stainless-generated SDKs' (Anthropic's among them) override of their retry decision for one answer. */
    private static final String SHOULD_RETRY = "x-should-retry";

    static HttpResponse of(Throwable failure) {
        GatewayException e = Failures.forCaller(
                failure,
                t -> org.slf4j.LoggerFactory.getLogger(AnthropicErrors.class).error("unexpected failure", t));
        var headers = ResponseHeaders.builder(status(e.kind())).contentType(MediaType.JSON);
        if (e.kind() == ErrorKind.MODEL_ERROR) { // failed on this request wherever it went: not worth sending again
            headers.add(SHOULD_RETRY, "false");
        }
        return HttpResponse.of(headers.build(), HttpData.wrap(Json.bytes(body(type(e.kind()), e.getMessage()))));
    }

    /** The {@code error} event a stream that failed after its first byte ends with. */
    static HttpData streamFailure(Throwable cause) {
        GatewayException e = StreamFailures.of(cause);
        return MessagesEvents.event("error", body(type(e.kind()), e.getMessage()));
    }

    static ObjectNode body(String type, String message) {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return root;
    }

    @Override
    public AggregatedHttpResponse renderStatus(
            ServiceRequestContext ctx, RequestHeaders headers, HttpStatus status, String description, Throwable cause) {
        String type = status == HttpStatus.REQUEST_ENTITY_TOO_LARGE
                ? "request_too_large"
                : status.code() >= 500 ? "api_error" : "invalid_request_error";
        String message = status == HttpStatus.REQUEST_ENTITY_TOO_LARGE
                ? FrameworkErrors.TOO_LARGE_MESSAGE
                : description != null ? description : status.reasonPhrase();
        return AggregatedHttpResponse.of(
                ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
                HttpData.wrap(Json.bytes(body(type, message))));
    }

    private static HttpStatus status(ErrorKind kind) {
        return kind == ErrorKind.SERVICE_UNAVAILABLE ? HttpStatus.valueOf(529) : SdkStatuses.of(kind); // "overloaded"
    }

    private static String type(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION, CONTEXT_WINDOW_EXCEEDED, CONFLICT, QUOTA_EXCEEDED, REQUEST_TIMEOUT ->
                "invalid_request_error";
            case MISSING_AUTHENTICATION, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE -> "authentication_error";
            case ACCESS_DENIED -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case THROTTLED, MODEL_NOT_READY -> "rate_limit_error";
            case MODEL_TIMEOUT -> "timeout_error";
            case SERVICE_UNAVAILABLE -> "overloaded_error";
            default -> "api_error";
        };
    }
}
