package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;

/**
 * Bedrock's restJson1 error shape: the status code of the error shape, {@code x-amzn-ErrorType: <Name>} (which
 * every AWS SDK reads first to pick the exception class) and a body {@code {"message": "..."}}.
 */
public final class BedrockErrors {
    /** nginx's name for an answer nobody waits for any more; not sent, but recorded. */
    private static final HttpStatus CLIENT_CLOSED_REQUEST = HttpStatus.valueOf(499);

    private BedrockErrors() {}

    /** The Bedrock error name and HTTP status for a kind, per the bedrock-runtime service model. */
    public static String name(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION, CONTEXT_WINDOW_EXCEEDED -> "ValidationException";
            case MISSING_AUTHENTICATION -> "MissingAuthenticationTokenException";
            case UNRECOGNIZED_CLIENT -> "UnrecognizedClientException";
            case INVALID_SIGNATURE -> "InvalidSignatureException";
            case ACCESS_DENIED -> "AccessDeniedException";
            case NOT_FOUND -> "ResourceNotFoundException";
            case CONFLICT -> "ConflictException";
            case REQUEST_TIMEOUT -> "RequestTimeoutException";
            case THROTTLED -> "ThrottlingException";
            case QUOTA_EXCEEDED -> "ServiceQuotaExceededException";
            case SERVICE_UNAVAILABLE -> "ServiceUnavailableException";
            case MODEL_TIMEOUT -> "ModelTimeoutException";
            case MODEL_NOT_READY -> "ModelNotReadyException";
            case MODEL_ERROR -> "ModelErrorException";
            case CALLER_GONE -> "ClientClosedRequest"; // no such Bedrock error: nobody receives it, the trail keeps it
            case INTERNAL -> "InternalServerException";
        };
    }

    public static HttpStatus status(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION, CONTEXT_WINDOW_EXCEEDED, QUOTA_EXCEEDED, CONFLICT -> HttpStatus.BAD_REQUEST;
            case MISSING_AUTHENTICATION, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE, ACCESS_DENIED -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case THROTTLED, MODEL_NOT_READY -> HttpStatus.TOO_MANY_REQUESTS;
            case SERVICE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case MODEL_TIMEOUT, REQUEST_TIMEOUT -> HttpStatus.REQUEST_TIMEOUT;
            case MODEL_ERROR -> HttpStatus.valueOf(424);
            case CALLER_GONE -> CLIENT_CLOSED_REQUEST;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /**
     * The response for any failure of an asynchronous operation: caller errors in their shape, anything else as
     * {@code InternalServerException} (logged, never shown).
     */
    public static HttpResponse of(Throwable failure) {
        return of(Failures.forCaller(
                failure,
                t -> org.slf4j.LoggerFactory.getLogger(BedrockErrors.class).error("unexpected failure", t)));
    }

    public static HttpResponse of(GatewayException e) {
        return of(e.kind(), e.getMessage());
    }

    public static HttpResponse of(ErrorKind kind, String message) {
        return of(name(kind), status(kind), message);
    }

    public static HttpResponse of(String name, HttpStatus status, String message) {
        return aggregated(name, status, message).toHttpResponse();
    }

    public static AggregatedHttpResponse aggregated(String name, HttpStatus status, String message) {
        return aggregated(name, status, Json.object().put("message", message));
    }

    /**
     * Bedrock's error that OpenAI's SDKs read too: {@code message} for the AWS SDKs (which take the type from
     * {@code x-amzn-ErrorType}) and an OpenAI {@code error} object, which AWS SDKs ignore. Only for requests refused
     * before their path was known, so before anyone could say which API the caller speaks.
     */
    public static AggregatedHttpResponse aggregatedForEitherSurface(String name, HttpStatus status, String message) {
        ObjectNode body = Json.object().put("message", message);
        ObjectNode openAi = body.putObject("error");
        openAi.put("message", message);
        openAi.put("type", status.code() >= 500 ? "server_error" : "invalid_request_error");
        openAi.putNull("param");
        openAi.putNull("code");
        return aggregated(name, status, body);
    }

    private static AggregatedHttpResponse aggregated(String name, HttpStatus status, ObjectNode body) {
        ResponseHeaders headers = ResponseHeaders.builder(status)
                .contentType(MediaType.JSON)
                .add("x-amzn-ErrorType", name)
                .build();
        return AggregatedHttpResponse.of(headers, HttpData.wrap(Json.bytes(body)));
    }
}
