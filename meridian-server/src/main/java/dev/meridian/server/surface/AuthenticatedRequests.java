package dev.meridian.server.surface;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.FrameworkErrors;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The steps every operation of every API surface starts with, kept in one place so that no operation can skip one:
 * read the whole body, authenticate the caller against it (a SigV4 signature covers the body), and turn any
 * failure, thrown or completed later, into an error response in the surface's own format rather than a stack
 * trace or the HTTP server's default error page (except that an exchange already over is left to end quietly).
 */
public final class AuthenticatedRequests {
    /** One operation, given its authenticated caller and the request body; may throw or complete exceptionally. */
    @FunctionalInterface
    public interface Operation {
        CompletionStage<HttpResponse> handle(Caller caller, byte[] body);
    }

    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final String signingName;
    private final Function<Throwable, HttpResponse> errors;

    /**
     * @param signingName the service name SigV4 signatures must be scoped to ({@code bedrock}, {@code cloudtrail})
     * @param errors renders any failure in the surface's error format
     */
    public AuthenticatedRequests(
            Authenticator callers,
            Supplier<Catalog> catalog,
            String signingName,
            Function<Throwable, HttpResponse> errors) {
        this.callers = callers;
        this.catalog = catalog;
        this.signingName = signingName;
        this.errors = errors;
    }

    /** Serves {@code req} with {@code operation} once its body is read and its caller authenticated. */
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req, Operation operation) {
        return HttpResponse.of(req.aggregate()
                .thenCompose(agg -> {
                    byte[] body = agg.content().array();
                    Caller caller = callers.authenticate(ctx, req.headers(), body, catalog.get(), signingName);
                    return operation.handle(caller, body);
                })
                .exceptionally(failure -> FrameworkErrors.endedExchange(failure)
                        ? HttpResponse.ofFailure(failure) // nobody to answer; Armeria drops it quietly
                        : errors.apply(failure)));
    }
}
