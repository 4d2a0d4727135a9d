package dev.meridian.server.surface.openai;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.server.http.FrameworkErrors;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.StatusErrorHandler;

/**
 * The errors the HTTP server raises itself under {@code /v1/} and {@code /openai/v1/} (a body over {@code server.maxRequestBytes}, or any
 * other status it renders) in OpenAI's error object, so that an OpenAI SDK maps them to its own exception classes
 * instead of receiving the Bedrock shape the rest of the gateway answers with. Unknown paths and methods under
 * {@code /v1/} never reach it: the route takes every path and method, and {@link OpenAiService} answers them. Any
 * other exception falls through to the server-wide handler, which logs it with the request id.
 */
public final class OpenAiErrorHandler implements StatusErrorHandler {
    @Override
    public AggregatedHttpResponse renderStatus(
            ServiceRequestContext ctx, RequestHeaders headers, HttpStatus status, String description, Throwable cause) {
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            return tooLarge();
        }
        return error(
                status,
                status.code() >= 500 ? "server_error" : "invalid_request_error",
                description != null ? description : status.reasonPhrase());
    }

    private static AggregatedHttpResponse tooLarge() {
        return error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error", FrameworkErrors.TOO_LARGE_MESSAGE);
    }

    private static AggregatedHttpResponse error(HttpStatus status, String type, String message) {
        return AggregatedHttpResponse.of(
                ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
                HttpData.wrap(Json.bytes(OpenAiErrors.body(message, type, null))));
    }
}
