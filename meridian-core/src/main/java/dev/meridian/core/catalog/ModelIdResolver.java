package dev.meridian.core.catalog;

import dev.meridian.core.error.GatewayException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the {@code modelId} a caller sent (bare model id, profile id, or Bedrock ARN) to an
 * {@link InvocationTarget}. ARN forms follow Bedrock's {@code InvokeModelIdentifier} pattern.
 */
public final class ModelIdResolver {
    private static final Pattern ARN = Pattern.compile("arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]*):([0-9]{12})?:"
            + "(foundation-model|inference-profile|application-inference-profile)/([a-zA-Z0-9-:.]+)");
    private static final Pattern BARE_ID = Pattern.compile("[a-zA-Z0-9-:.]{1,128}");

    private final Catalog catalog;
    private final String accountId;

    private ModelIdResolver(Catalog catalog, String accountId) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    /** A resolver over {@code catalog} for ARNs owned by {@code accountId}. */
    public static ModelIdResolver of(Catalog catalog, String accountId) {
        return new ModelIdResolver(catalog, accountId);
    }

    /**
     * Resolves {@code modelId} as called from {@code sourceRegion}.
     *
     * @throws GatewayException VALIDATION for a malformed identifier or an ARN of another region, NOT_FOUND for
     *     a well-formed identifier that names nothing in the catalog
     */
    public InvocationTarget resolve(String modelId, String sourceRegion) {
        if (modelId == null || modelId.isEmpty() || modelId.length() > 2048) {
            throw GatewayException.validation("The provided model identifier is invalid.");
        }
        Matcher arn = ARN.matcher(modelId);
        if (arn.matches()) {
            return resolveArn(modelId, arn, sourceRegion);
        }
        if (modelId.startsWith("arn:") || !BARE_ID.matcher(modelId).matches()) {
            throw GatewayException.validation("The provided model identifier is invalid.");
        }
        return resolveId(modelId, modelId);
    }

    private InvocationTarget resolveArn(String arn, Matcher m, String sourceRegion) {
        String region = m.group(1);
        String account = m.group(2);
        String type = m.group(3);
        String id = m.group(4);
        if (!region.equals(sourceRegion)) {
            throw GatewayException.validation("The ARN " + arn + " names region '" + region
                    + "', but this request's source region is '" + sourceRegion
                    + "'. Call the endpoint of that region, or use an inference profile ARN of the source region.");
        }
        if (type.equals("foundation-model")) {
            if (account != null) {
                throw GatewayException.validation("The provided model identifier is invalid.");
            }
            FoundationModel model = catalog.model(id).orElseThrow(() -> notFound(arn));
            return new InvocationTarget(arn, model, null);
        }
        if (account == null || !account.equals(accountId)) {
            throw notFound(arn);
        }
        InferenceProfile profile = catalog.profile(id).orElseThrow(() -> notFound(arn));
        boolean application = type.equals("application-inference-profile");
        if (application == profile.isSystemDefined()) {
            throw notFound(arn);
        }
        return new InvocationTarget(arn, modelOf(profile), profile);
    }

    private InvocationTarget resolveId(String requested, String id) {
        var model = catalog.model(id);
        if (model.isPresent()) {
            return new InvocationTarget(requested, model.get(), null);
        }
        InferenceProfile profile = catalog.profile(id).orElseThrow(() -> notFound(requested));
        return new InvocationTarget(requested, modelOf(profile), profile);
    }

    private FoundationModel modelOf(InferenceProfile profile) {
        return catalog.model(profile.modelId()).orElseThrow(() -> notFound(profile.id()));
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("The model or inference profile '" + id + "' was not found.");
    }
}
