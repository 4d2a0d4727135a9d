package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.catalog.ProfileType;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.residency.DestinationRules.OfferedProfile;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.ApplicationProfiles;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.PercentDecoding;
import dev.meridian.server.http.RequestPaths;
import dev.meridian.server.policy.BedrockArns;
import dev.meridian.server.surface.AuthenticatedRequests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bedrock control plane: {@code ListInferenceProfiles} ({@code GET /inference-profiles}) and
 * {@code GetInferenceProfile} ({@code GET /inference-profiles/{id}}).
 *
 * <p>Discovery is per source region: only profiles invocable from the caller's source region are listed, and
 * each profile's {@code models} holds one foundation-model ARN per destination region allowed from there, which
 * is how Bedrock publishes its routing table.
 */
public final class InferenceProfilesService implements HttpService {
    private static final String PREFIX = "/inference-profiles";
    private static final int DEFAULT_PAGE = 1000;

    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final AuthenticatedRequests requests;
    private final String accountId;

    private final ApplicationProfiles applicationProfiles;

    public InferenceProfilesService(
            Authenticator callers,
            Supplier<Catalog> catalog,
            String accountId,
            ApplicationProfiles applicationProfiles) {
        this.callers = callers;
        this.catalog = catalog;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", BedrockErrors::of);
        this.accountId = accountId;
        this.applicationProfiles = applicationProfiles;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> serve(req, caller, body));
    }

    private CompletableFuture<HttpResponse> serve(HttpRequest req, Caller caller, byte[] body) {
        try {
            Catalog c = catalog.get();
            String rawPath = RequestPaths.withoutQuery(req.path());
            boolean collection = rawPath.equals(PREFIX) || rawPath.equals(PREFIX + "/");
            if (collection && req.method() == HttpMethod.GET) {
                callers.authorize(caller, "bedrock:ListInferenceProfiles", "*");
                return done(list(c, caller, QueryParams.fromQueryString(RequestPaths.query(req.path()))));
            }
            if (collection && req.method() == HttpMethod.POST) {
                callers.authorize(
                        caller,
                        "bedrock:CreateInferenceProfile",
                        "arn:aws:bedrock:" + caller.sourceRegion() + ":" + accountId
                                + ":application-inference-profile/*");
                return create(caller, body);
            }
            if (collection) {
                return done(BedrockErrors.of(
                        "UnknownOperationException",
                        HttpStatus.NOT_FOUND,
                        "No operation matches " + req.method() + " " + rawPath + "."));
            }
            String identifier = PercentDecoding.decode(rawPath.substring(PREFIX.length() + 1));
            if (req.method() == HttpMethod.DELETE) {
                String id = profileId(c, caller, identifier);
                callers.authorize(caller, "bedrock:DeleteInferenceProfile", profileArn(c, caller, id));
                return applicationProfiles.delete(caller, id).thenApply(v -> Json.ok(Json.object()));
            }
            callers.authorize(
                    caller, "bedrock:GetInferenceProfile", profileArn(c, caller, profileId(c, caller, identifier)));
            return done(get(c, caller, identifier));
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation("Invalid inference profile identifier: " + e.getMessage() + ".");
        }
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private CompletableFuture<HttpResponse> create(Caller caller, byte[] body) {
        JsonNode root = ConverseCodec.readObject(body);
        JsonNode copyFrom = root.path("modelSource").path("copyFrom");
        String description = BedrockFields.string(root, "description", "");
        var request = new ApplicationProfiles.CreateRequest(
                BedrockFields.string(root, "inferenceProfileName", ""),
                description == null ? "" : description,
                BedrockFields.string(root, "clientRequestToken", ""),
                copyFrom.isTextual() ? copyFrom.textValue() : null, // any other value: the message names the ARN forms
                BedrockFields.tags(root, "tags", ""));
        return applicationProfiles
                .create(caller, request)
                .thenApply(p -> Json.response(
                        HttpStatus.CREATED,
                        Json.object()
                                .put("inferenceProfileArn", BedrockArns.profile(p, caller.sourceRegion(), accountId))
                                .put("status", "ACTIVE")));
    }

    /** The ARN policies name profile {@code id} by; {@code id} itself when the catalog does not know it. */
    private String profileArn(Catalog c, Caller caller, String id) {
        return c.profile(id)
                .map(p -> BedrockArns.profile(p, caller.sourceRegion(), accountId))
                .orElse(id);
    }

    /** The profile id named by {@code identifier} (an id or an ARN) as seen from the caller's region. */
    public String profileId(Catalog c, Caller caller, String identifier) {
        if (!identifier.startsWith("arn:")) {
            return identifier;
        }
        var target = ModelIdResolver.of(c, accountId).resolve(identifier, caller.sourceRegion());
        if (!target.viaProfile()) {
            throw GatewayException.validation("The identifier " + identifier + " is not an inference profile.");
        }
        return target.profile().id();
    }

    private HttpResponse list(Catalog c, Caller caller, QueryParams params) {
        String type = params.get("type");
        if (type != null && !type.equals("SYSTEM_DEFINED") && !type.equals("APPLICATION")) {
            throw GatewayException.validation("type: " + type + " (expected: SYSTEM_DEFINED or APPLICATION).");
        }
        int maxResults = maxResults(params.get("maxResults"));
        int offset = offset(params.get("nextToken"));
        List<OfferedProfile> offered = DestinationRules.offeredIn(c, caller.sourceRegion()).stream()
                .filter(o -> type == null || o.profile().type() == ProfileType.valueOf(type))
                .toList();
        ObjectNode root = Json.object();
        ArrayNode summaries = root.putArray("inferenceProfileSummaries");
        int end = Math.min(offered.size(), offset + maxResults);
        for (int i = Math.min(offset, offered.size()); i < end; i++) {
            summaries.add(summary(offered.get(i), caller.sourceRegion()));
        }
        if (end < offered.size()) {
            root.put("nextToken", token(end));
        }
        return Json.ok(root);
    }

    private HttpResponse get(Catalog c, Caller caller, String identifier) {
        String wanted = profileId(c, caller, identifier);
        return DestinationRules.offeredIn(c, caller.sourceRegion()).stream()
                .filter(o -> o.profile().id().equals(wanted))
                .findFirst()
                .map(o -> Json.ok(summary(o, caller.sourceRegion())))
                .orElseThrow(() -> GatewayException.notFound("The inference profile " + identifier
                        + " was not found in source region " + caller.sourceRegion() + "."));
    }

    private ObjectNode summary(OfferedProfile offered, String sourceRegion) {
        InferenceProfile p = offered.profile();
        ObjectNode s = Json.object();
        s.put("inferenceProfileName", p.name());
        s.put("description", p.description());
        s.put("createdAt", p.createdAt().toString());
        s.put("updatedAt", p.createdAt().toString());
        s.put("inferenceProfileArn", BedrockArns.profile(p, sourceRegion, accountId));
        ArrayNode models = s.putArray("models");
        for (String region : offered.destinations().regions()) {
            models.addObject().put("modelArn", BedrockArns.foundationModel(region, p.modelId()));
        }
        s.put("inferenceProfileId", p.id());
        s.put("status", "ACTIVE");
        s.put("type", p.type().name());
        return s;
    }

    private static int maxResults(String value) {
        if (value == null) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.validation("maxResults: " + value + " (expected: an integer in 1..1000).");
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("o:")) {
                int offset = Integer.parseInt(decoded.substring(2));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw GatewayException.validation("The nextToken is invalid; use the value returned by the previous call.");
    }
}
