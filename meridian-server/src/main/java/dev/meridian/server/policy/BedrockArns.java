package dev.meridian.server.policy;

import dev.meridian.core.catalog.InferenceProfile;

/** Bedrock ARN formats, as the bedrock 2023-04-20 service model defines them. */
public final class BedrockArns {
    private BedrockArns() {}

    /** {@code arn:aws:bedrock:<region>::foundation-model/<modelId>} (foundation models have no account). */
    public static String foundationModel(String region, String modelId) {
        return "arn:aws:bedrock:" + region + "::foundation-model/" + modelId;
    }

    /** The profile's ARN as seen from {@code sourceRegion}; system profiles are addressed per source region. */
    public static String profile(InferenceProfile profile, String sourceRegion, String accountId) {
        if (profile.isSystemDefined()) {
            return "arn:aws:bedrock:" + sourceRegion + ":" + accountId + ":inference-profile/" + profile.id();
        }
        return "arn:aws:bedrock:" + profile.homeRegion() + ":" + accountId + ":application-inference-profile/"
                + profile.id();
    }
}
