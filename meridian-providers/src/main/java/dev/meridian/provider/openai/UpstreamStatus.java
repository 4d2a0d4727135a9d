package dev.meridian.provider.openai;

import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.RefusalReason;

/**
 * What an OpenAI-compatible server's answer other than 200 says, for the router: whether the request was at fault
 * (the caller's error, with the server's reason), the server's deployment or account (another region may serve it),
 * or the server's load or health. Kept in one place so that a whole answer, a stream and a token count read a status
 * alike.
 */
final class UpstreamStatus {
    private UpstreamStatus() {}

    /** A verdict that the request itself is invalid, whose reason (in the answer's body) the caller needs. */
    static boolean carriesAReason(int code) {
        return code == 400 || code == 413 || code == 422;
    }

    /**
     * Classifies {@code code}; {@code body} is read only for an invalid request's reason ({@link RefusalReason},
     * masked of {@code host} and {@code apiKey}), never passed on otherwise.
     */
    static UpstreamException of(int code, byte[] body, String host, String apiKey) {
        if (carriesAReason(code)) {
            return RefusalReason.refusalOf(body, host, apiKey);
        }
        return switch (code) {
            case 429 -> new UpstreamException(FailureKind.THROTTLED, "upstream answered 429");
            // The server gave up waiting for the request: a slow path to it, not the request's fault.
            case 408 -> new UpstreamException(FailureKind.TIMEOUT, "upstream timed out receiving the request (408)");
            case 401, 403 ->
                new UpstreamException(
                        FailureKind.SERVER_ERROR, "upstream refused the gateway's credentials (" + code + ")");
            // A hosted API whose account has run out of credit (OpenRouter, for one): the region's, not the caller's.
            case 402 -> new UpstreamException(FailureKind.SERVER_ERROR, "upstream refused the gateway's account (402)");
            // The upstream's address, model name or server is not what the configuration says: serve elsewhere.
            case 404, 405, 410, 415 ->
                new UpstreamException(
                        FailureKind.SERVER_ERROR, "upstream does not serve this path, method or model (" + code + ")");
            default ->
                code >= 500
                        ? new UpstreamException(FailureKind.SERVER_ERROR, "upstream answered " + code)
                        : new UpstreamException(FailureKind.REJECTED, "upstream refused the request (" + code + ")");
        };
    }
}
