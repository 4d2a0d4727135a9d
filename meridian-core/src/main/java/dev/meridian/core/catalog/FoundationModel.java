package dev.meridian.core.catalog;

import static dev.meridian.core.catalog.Checks.require;
import static dev.meridian.core.catalog.Checks.requireText;

import java.util.Set;

/**
 * A model that one or more regions serve, named by its Bedrock-style id.
 *
 * @param id e.g. {@code amazon.nova-2-lite-v1:0}
 * @param name a human name, e.g. {@code Nova 2 Lite}
 * @param provider the model provider's name, e.g. {@code Amazon}
 * @param regions the regions that serve this model
 */
public record FoundationModel(String id, String name, String provider, Set<String> regions) {

    public FoundationModel {
        requireText(id, "model.id");
        require(
                id.matches("[a-z0-9-]{1,63}\\.[a-z0-9-.:]{1,128}"),
                "model.id: " + id + " (expected: <provider>.<model>, e.g. amazon.nova-2-lite-v1:0)");
        requireText(name, "model[" + id + "].name");
        requireText(provider, "model[" + id + "].provider");
        regions = Set.copyOf(regions);
        require(!regions.isEmpty(), "model[" + id + "].regions: [] (expected: at least one region)");
    }

    public boolean servedIn(String region) {
        return regions.contains(region);
    }
}
