package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.route.Deadlines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Bounds how long a caller may take to send its request body ({@code server.requestBodyTimeout}). The server's
 * request timeout must cover the longest model call (minutes), so without this a client that sends its headers and
 * then stalls mid-body holds a connection and a pending request for all of that time, and a few thousand such
 * clients hold every connection {@code server.maxConnections} allows. When the body has not arrived in time the
 * request is aborted with {@link ErrorKind#REQUEST_TIMEOUT}, which each surface answers in its own format (408;
 * the AWS and OpenAI SDKs retry it); a body that arrives in time costs one timer-wheel entry, armed and cancelled.
 */
public final class BodyDeadline implements DecoratingHttpServiceFunction {
    private final Deadlines deadlines;
    private final long timeoutNanos;
    private final String message;

    public BodyDeadline(Deadlines deadlines, Duration timeout) {
        this.deadlines = deadlines;
        this.timeoutNanos = timeout.toNanos();
        this.message = "The request body was not received within " + timeout.toSeconds() + " s.";
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (!req.isEmpty() && !req.isComplete()) {
            CompletableFuture<Void> received = new CompletableFuture<>();
            req.whenComplete().handle((ignored, error) -> received.complete(null));
            deadlines.within(received, timeoutNanos).exceptionally(error -> {
                if (error instanceof TimeoutException) {
                    req.abort(new GatewayException(ErrorKind.REQUEST_TIMEOUT, message));
                }
                return null;
            });
        }
        return delegate.serve(ctx, req);
    }
}
