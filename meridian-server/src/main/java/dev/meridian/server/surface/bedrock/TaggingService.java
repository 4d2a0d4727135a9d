package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.gateway.ApplicationProfiles;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.AuthenticatedRequests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bedrock's tagging operations for application inference profiles: {@code POST /tagResource},
 * {@code POST /untagResource}, {@code POST /listTagsForResource}, each with {@code resourceARN} in the body.
 */
public final class TaggingService implements HttpService {
    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final AuthenticatedRequests requests;
    private final ApplicationProfiles profiles;
    private final InferenceProfilesService resolver;

    public TaggingService(
            Authenticator callers,
            Supplier<Catalog> catalog,
            ApplicationProfiles profiles,
            InferenceProfilesService resolver) {
        this.callers = callers;
        this.catalog = catalog;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", BedrockErrors::of);
        this.profiles = profiles;
        this.resolver = resolver;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> {
            JsonNode root = ConverseCodec.readObject(body);
            String arn = BedrockFields.string(root, "resourceARN", "");
            if (arn == null) {
                throw GatewayException.validation("resourceARN is required.");
            }
            callers.authorize(caller, action(ctx.mappedPath()), arn);
            InferenceProfile p = profiles.owned(caller, resolver.profileId(catalog.get(), caller, arn));
            return switch (ctx.mappedPath()) {
                case "/tagResource" -> {
                    Map<String, String> tags = new LinkedHashMap<>(p.tags());
                    tags.putAll(BedrockFields.tags(root, "tags", ""));
                    yield profiles.retag(caller, p.id(), tags).thenApply(x -> Json.ok(Json.object()));
                }
                case "/untagResource" -> {
                    Map<String, String> tags = new LinkedHashMap<>(p.tags());
                    BedrockFields.strings(root, "tagKeys", "").forEach(tags::remove);
                    yield profiles.retag(caller, p.id(), tags).thenApply(x -> Json.ok(Json.object()));
                }
                default -> {
                    ObjectNode out = Json.object();
                    ArrayNode list = out.putArray("tags");
                    p.tags().forEach((k, v) -> list.addObject().put("key", k).put("value", v));
                    yield CompletableFuture.completedFuture(Json.ok(out));
                }
            };
        });
    }

    private static String action(String path) {
        return switch (path) {
            case "/tagResource" -> "bedrock:TagResource";
            case "/untagResource" -> "bedrock:UntagResource";
            default -> "bedrock:ListTagsForResource";
        };
    }
}
