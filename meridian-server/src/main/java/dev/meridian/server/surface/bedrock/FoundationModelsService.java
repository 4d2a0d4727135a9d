package dev.meridian.server.surface.bedrock;

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
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import dev.meridian.server.http.PercentDecoding;
import dev.meridian.server.http.RequestPaths;
import dev.meridian.server.policy.BedrockArns;
import dev.meridian.server.surface.AuthenticatedRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code ListFoundationModels} ({@code GET /foundation-models}, filters {@code byProvider},
 * {@code byOutputModality}, {@code byInferenceType}, {@code byCustomizationType}) and {@code GetFoundationModel}
 * ({@code GET /foundation-models/{id}}), per source region: a model is listed when the source region serves it
 * ({@code ON_DEMAND}) or some profile offered there does ({@code INFERENCE_PROFILE}).
 */
public final class FoundationModelsService implements HttpService {
    private static final String PREFIX = "/foundation-models";
    private static final Set<String> MODALITIES = Set.of("TEXT", "IMAGE", "EMBEDDING");
    private static final Set<String> INFERENCE_TYPES = Set.of("ON_DEMAND", "PROVISIONED");

    private final Authenticator callers;
    private final Supplier<Catalog> catalog;
    private final AuthenticatedRequests requests;

    public FoundationModelsService(Authenticator callers, Supplier<Catalog> catalog) {
        this.callers = callers;
        this.catalog = catalog;
        this.requests = new AuthenticatedRequests(callers, catalog, "bedrock", BedrockErrors::of);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return requests.serve(ctx, req, (caller, body) -> CompletableFuture.completedFuture(answer(req, caller)));
    }

    private HttpResponse answer(HttpRequest req, Caller caller) {
        try {
            Catalog c = catalog.get();
            if (req.method() != HttpMethod.GET) {
                return BedrockErrors.of(
                        "UnknownOperationException",
                        HttpStatus.NOT_FOUND,
                        "No operation matches " + req.method() + " " + req.path() + ".");
            }
            String raw = RequestPaths.withoutQuery(req.path());
            if (raw.equals(PREFIX) || raw.equals(PREFIX + "/")) {
                callers.authorize(caller, "bedrock:ListFoundationModels", "*");
                return list(c, caller, QueryParams.fromQueryString(RequestPaths.query(req.path())));
            }
            String identifier = PercentDecoding.decode(raw.substring(PREFIX.length() + 1));
            callers.authorize(
                    caller,
                    "bedrock:GetFoundationModel",
                    identifier.startsWith("arn:")
                            ? identifier
                            : BedrockArns.foundationModel(caller.sourceRegion(), identifier));
            return get(c, caller, identifier);
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation("Invalid model identifier: " + e.getMessage());
        }
    }

    private HttpResponse list(Catalog c, Caller caller, QueryParams params) {
        String provider = params.get("byProvider");
        String modality = upper(params.get("byOutputModality"), MODALITIES, "byOutputModality");
        String inference = upper(params.get("byInferenceType"), INFERENCE_TYPES, "byInferenceType");
        boolean customization = params.get("byCustomizationType") != null;
        ObjectNode root = Json.object();
        ArrayNode summaries = root.putArray("modelSummaries");
        for (FoundationModel m : c.models().stream()
                .sorted(java.util.Comparator.comparing(FoundationModel::id))
                .toList()) {
            List<String> types = inferenceTypes(c, m, caller.sourceRegion());
            boolean keep = !types.isEmpty()
                    && !customization
                    && (provider == null || m.provider().equalsIgnoreCase(provider))
                    && (modality == null || modality.equals("TEXT"))
                    && (inference == null || types.contains(inference));
            if (keep) {
                summaries.add(summary(m, caller.sourceRegion(), types));
            }
        }
        return Json.ok(root);
    }

    private HttpResponse get(Catalog c, Caller caller, String identifier) {
        String id = identifier.startsWith("arn:") ? identifier.substring(identifier.lastIndexOf('/') + 1) : identifier;
        FoundationModel m = c.model(id).orElse(null);
        List<String> types = m == null ? List.of() : inferenceTypes(c, m, caller.sourceRegion());
        if (types.isEmpty()) {
            throw GatewayException.notFound(
                    "The foundation model " + identifier + " was not found in " + caller.sourceRegion() + ".");
        }
        return Json.ok(Json.object().set("modelDetails", summary(m, caller.sourceRegion(), types)));
    }

    private static List<String> inferenceTypes(Catalog c, FoundationModel m, String source) {
        List<String> types = new ArrayList<>();
        if (m.servedIn(source)) {
            types.add("ON_DEMAND");
        }
        if (!DestinationRules.profilesServing(c, m.id(), source).isEmpty()) {
            types.add("INFERENCE_PROFILE");
        }
        return types;
    }

    private static ObjectNode summary(FoundationModel m, String source, List<String> types) {
        ObjectNode s = Json.object();
        s.put("modelArn", BedrockArns.foundationModel(source, m.id()));
        s.put("modelId", m.id());
        s.put("modelName", m.name());
        s.put("providerName", m.provider());
        s.putArray("inputModalities").add("TEXT");
        s.putArray("outputModalities").add("TEXT");
        s.put("responseStreamingSupported", true);
        s.putArray("customizationsSupported");
        ArrayNode inference = s.putArray("inferenceTypesSupported");
        types.forEach(inference::add);
        s.putObject("modelLifecycle").put("status", "ACTIVE");
        return s;
    }

    private static String upper(String value, Set<String> allowed, String field) {
        if (value == null) {
            return null;
        }
        String v = value.toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw GatewayException.validation(field + ": " + value + " (expected one of " + allowed + ").");
        }
        return v;
    }
}
