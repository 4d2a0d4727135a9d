package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.SdkStatuses;

/**
 * OpenAI's error object ({@code {"error": {"message", "type", "param", "code"}}}) with the status codes the OpenAI
 * SDKs map to their exception classes (400 BadRequest, 401 Authentication, 403 PermissionDenied, 404 NotFound,
 * 429 RateLimit, 5xx InternalServer).
 */
public final class OpenAiErrors {
    /** The OpenAI SDKs' (Python, JavaScript, Java) override of their retry decision for one answer. */
    static final String SHOULD_RETRY = "x-should-retry";

    private OpenAiErrors() {}

    public static HttpResponse of(Throwable failure) {
        return of(Failures.forCaller(
                failure,
                t -> org.slf4j.LoggerFactory.getLogger(OpenAiErrors.class).error("unexpected failure", t)));
    }

    public static HttpResponse of(GatewayException e) {
        HttpStatus status = SdkStatuses.of(e.kind());
        if (e.kind() != ErrorKind.MODEL_ERROR) {
            return Json.response(status, body(e));
        }
        // The model failed on this request wherever it was sent: the OpenAI SDKs, which retry a 500 twice by
        // default, honour this header and do not send it again for the same failure.
        return HttpResponse.of(
                ResponseHeaders.builder(status)
                        .contentType(MediaType.JSON)
                        .add(SHOULD_RETRY, "false")
                        .build(),
                HttpData.wrap(Json.bytes(body(e))));
    }

    /**
     * What OpenAI answers for a path or method it does not serve: 404, {@code "Invalid URL (METHOD /path)"},
     * {@code code: null} (unlike an unknown model, whose code is {@code model_not_found}).
     */
    static HttpResponse invalidUrl(HttpMethod method, String path) {
        return Json.response(
                HttpStatus.NOT_FOUND, body("Invalid URL (" + method + " " + path + ")", "invalid_request_error", null));
    }

    static ObjectNode body(GatewayException e) {
        return body(e.getMessage(), type(e.kind()), e.parameter(), code(e.kind()));
    }

    /** {@code {"error": {"message", "type", "param": null, "code"}}}; {@code code} may be null. */
    static ObjectNode body(String message, String type, String code) {
        return body(message, type, null, code);
    }

    /** {@code param} (the parameter at fault) and {@code code} may be null, and are then JSON nulls. */
    private static ObjectNode body(String message, String type, String param, String code) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    private static String type(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION, CONTEXT_WINDOW_EXCEEDED, CONFLICT, QUOTA_EXCEEDED, NOT_FOUND, REQUEST_TIMEOUT ->
                "invalid_request_error";
            case MISSING_AUTHENTICATION, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE -> "authentication_error";
            case ACCESS_DENIED -> "permission_error";
            case THROTTLED, MODEL_NOT_READY -> "rate_limit_error";
            default -> "server_error";
        };
    }

    private static String code(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "model_not_found";
            case CONTEXT_WINDOW_EXCEEDED -> "context_length_exceeded";
            case MISSING_AUTHENTICATION, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE -> "invalid_api_key";
            case THROTTLED -> "rate_limit_exceeded";
            case SERVICE_UNAVAILABLE -> "service_unavailable";
            case MODEL_TIMEOUT -> "timeout";
            case REQUEST_TIMEOUT -> "request_timeout";
            case CALLER_GONE -> "client_closed_request";
            default -> null;
        };
    }
}
