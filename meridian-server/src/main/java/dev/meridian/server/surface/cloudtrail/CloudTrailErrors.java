package dev.meridian.server.surface.cloudtrail;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.bedrock.BedrockErrors;
import org.slf4j.LoggerFactory;

/** Errors in AWS JSON 1.1's shape: {@code __type} and {@code message} in the body, and {@code x-amzn-ErrorType}. */
final class CloudTrailErrors {
    private CloudTrailErrors() {}

    static HttpResponse of(HttpStatus status, String type, String message) {
        return HttpResponse.of(
                ResponseHeaders.builder(status)
                        .add("content-type", "application/x-amz-json-1.1")
                        .add("x-amzn-ErrorType", type)
                        .build(),
                HttpData.wrap(Json.bytes(Json.object().put("__type", type).put("message", message))));
    }

    static HttpResponse of(GatewayException e) {
        return of(BedrockErrors.status(e.kind()), BedrockErrors.name(e.kind()), e.getMessage());
    }

    /** Any failure: a {@link GatewayException} as itself, anything else as an internal error (logged, not shown). */
    static HttpResponse of(Throwable failure) {
        return of(Failures.forCaller(
                failure, t -> LoggerFactory.getLogger(CloudTrailErrors.class).error("unexpected failure", t)));
    }
}
