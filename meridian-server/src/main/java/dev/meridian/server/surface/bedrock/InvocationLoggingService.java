package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.http.Json;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.invocationlog.LoggingConfig;
import dev.meridian.server.surface.AuthenticatedRequests;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code Put/Get/DeleteModelInvocationLoggingConfiguration} at {@code /logging/modelinvocations}, per source
 * region (the caller's), with Bedrock's shapes.
 */
public final class InvocationLoggingService implements HttpService {
    private final Authenticator callers;
    private final AuthenticatedRequests requests;
    private final InvocationLogger logger;

    public InvocationLoggingService(Authenticator callers, Supplier<Catalog> catalog, InvocationLogger logger) {
        this.callers = callers;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", BedrockErrors::of);
        this.logger = logger;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> {
            String region = caller.sourceRegion();
            HttpMethod method = req.method();
            if (method == HttpMethod.PUT) {
                callers.authorize(caller, "bedrock:PutModelInvocationLoggingConfiguration", "*");
                JsonNode root = ConverseCodec.readObject(body);
                return logger.configure(region, LoggingConfig.parse(root)).thenApply(v -> Json.ok(Json.object()));
            }
            if (method == HttpMethod.GET) {
                callers.authorize(caller, "bedrock:GetModelInvocationLoggingConfiguration", "*");
                var out = Json.object();
                logger.config(region).ifPresent(c -> out.set("loggingConfig", c.toJson()));
                return CompletableFuture.completedFuture(Json.ok(out));
            }
            if (method == HttpMethod.DELETE) {
                callers.authorize(caller, "bedrock:DeleteModelInvocationLoggingConfiguration", "*");
                return logger.remove(region).thenApply(v -> Json.ok(Json.object()));
            }
            return CompletableFuture.completedFuture(BedrockErrors.of(
                    "UnknownOperationException",
                    HttpStatus.NOT_FOUND,
                    "No operation matches " + method + " " + req.path() + "."));
        });
    }
}
