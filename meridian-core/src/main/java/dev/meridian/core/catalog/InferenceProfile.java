package dev.meridian.core.catalog;

import static dev.meridian.core.catalog.Checks.require;
import static dev.meridian.core.catalog.Checks.requireText;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A named routing target that stands for one model across a published set of regions.
 *
 * <p>A system-defined profile's {@code regions} are pinned when it is published and never change: a new region
 * set is published as a new profile id. Which of them a particular caller may use depends on the caller's source
 * region; {@link dev.meridian.core.residency.DestinationRules} decides that.
 *
 * @param id e.g. {@code eu.amazon.nova-2-lite-v1:0}, or a 12-character id for application profiles
 * @param name a human name
 * @param description free text, may be empty
 * @param type system-defined or application
 * @param modelId the foundation model this profile invokes
 * @param geography the geography of a system-defined profile; {@code null} for application profiles
 * @param regions the published region set (system-defined) or the copied set (application)
 * @param copiedFrom the system profile id an application profile copies, or {@code null} when it copies a model
 * @param homeRegion the region an application profile was created in; {@code null} for system-defined ones
 * @param createdAt when the profile was published or created
 * @param tags user tags (application profiles)
 */
public record InferenceProfile(
        String id,
        String name,
        String description,
        ProfileType type,
        String modelId,
        String geography,
        Set<String> regions,
        String copiedFrom,
        String homeRegion,
        Instant createdAt,
        Map<String, String> tags) {

    /** When the built-in system-defined profiles were published. */
    public static final Instant SYSTEM_PUBLISHED_AT = Instant.parse("2026-01-01T00:00:00Z");

    public InferenceProfile {
        requireText(id, "profile.id");
        require(id.matches("[a-zA-Z0-9-:.]{1,64}"), "profile.id: " + id + " (expected: [a-zA-Z0-9-:.]{1,64})");
        requireText(name, "profile[" + id + "].name");
        description = description == null ? "" : description;
        require(type != null, "profile[" + id + "].type: missing");
        requireText(modelId, "profile[" + id + "].modelId");
        regions = Set.copyOf(regions);
        require(!regions.isEmpty(), "profile[" + id + "].regions: [] (expected: at least one region)");
        require(createdAt != null, "profile[" + id + "].createdAt: missing");
        tags = Map.copyOf(tags);
        if (type == ProfileType.SYSTEM_DEFINED) {
            requireText(geography, "profile[" + id + "].geography");
            require(
                    id.equals(geography + "." + modelId),
                    "profile.id: " + id + " (expected: " + geography + "." + modelId + ")");
            require(homeRegion == null && copiedFrom == null, "profile[" + id + "]: system profiles copy nothing");
        } else {
            require(geography == null, "profile[" + id + "].geography: application profiles have none");
            requireText(homeRegion, "profile[" + id + "].homeRegion");
        }
    }

    /** A system-defined geographic or global profile over {@code geography}, published with {@code regions}. */
    public static InferenceProfile systemDefined(
            String geography, FoundationModel model, String name, Set<String> regions) {
        return new InferenceProfile(
                geography + "." + model.id(),
                name,
                "Routes requests to " + model.name() + " in regions of geography " + geography + ".",
                ProfileType.SYSTEM_DEFINED,
                model.id(),
                geography,
                regions,
                null,
                null,
                SYSTEM_PUBLISHED_AT,
                Map.of());
    }

    public boolean isSystemDefined() {
        return type == ProfileType.SYSTEM_DEFINED;
    }
}
