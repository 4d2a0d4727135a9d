package dev.meridian.core.catalog;

import java.util.Objects;

/**
 * What a request's model id resolved to: a foundation model, invoked in-region ({@code profile == null}) or
 * through an inference profile.
 *
 * @param requestedId the identifier exactly as the caller sent it (model id, profile id or ARN)
 * @param model the foundation model that will process the request
 * @param profile the inference profile named, or {@code null} for an in-region call
 */
public record InvocationTarget(String requestedId, FoundationModel model, InferenceProfile profile) {

    public InvocationTarget {
        Objects.requireNonNull(requestedId, "requestedId");
        Objects.requireNonNull(model, "model");
    }

    public boolean viaProfile() {
        return profile != null;
    }
}
