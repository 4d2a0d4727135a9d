package dev.meridian.server.surface;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;

/**
 * The error a stream that failed after its first byte ends with, on the surfaces that stream errors as data
 * (OpenAI's chunks and Responses events, Anthropic's {@code error} event), each writing it in its own shape: the
 * destination's failure as throttling or unavailability, anything else as the gateway's own.
 */
public final class StreamFailures {
    private StreamFailures() {}

    public static GatewayException of(Throwable cause) {
        Throwable c = Failures.cause(cause);
        return c instanceof UpstreamException u
                ? new GatewayException(
                        u.kind() == FailureKind.THROTTLED ? ErrorKind.THROTTLED : ErrorKind.SERVICE_UNAVAILABLE,
                        "The model stream failed after it started: " + u.getMessage() + ".")
                : new GatewayException(ErrorKind.INTERNAL, "The stream failed inside the gateway.");
    }
}
