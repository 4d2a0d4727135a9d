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
 * @param maxOutputTokens the most output tokens one request may ask of the model, or {@code 0} when the catalog
 *     does not say (then no limit is enforced and admission reserves {@code RouteRequest}'s default)
 * @param contextTokens the model's context window: prompt and output tokens one request may take together, or
 *     {@code 0} when the catalog does not say. The model decides by its own tokenizer, so the gateway does not refuse
 *     by its estimate; the region simulator, standing in for the model, refuses what would not fit
 */
public record FoundationModel(
        String id, String name, String provider, Set<String> regions, int maxOutputTokens, int contextTokens) {

    public FoundationModel {
        requireText(id, "model.id");
        require(
                id.matches("[a-z0-9-]{1,63}\\.[a-z0-9-.:]{1,128}"),
                "model.id: " + id + " (expected: <provider>.<model>, e.g. amazon.nova-2-lite-v1:0)");
        requireText(name, "model[" + id + "].name");
        requireText(provider, "model[" + id + "].provider");
        regions = Set.copyOf(regions);
        require(!regions.isEmpty(), "model[" + id + "].regions: [] (expected: at least one region)");
        require(
                maxOutputTokens >= 0,
                "model[" + id + "].maxOutputTokens: " + maxOutputTokens + " (expected: >= 1, or 0 for no limit)");
        require(
                contextTokens >= 0,
                "model[" + id + "].contextTokens: " + contextTokens + " (expected: >= 1, or 0 for not stated)");
        require(
                contextTokens == 0 || maxOutputTokens <= contextTokens,
                "model[" + id + "].maxOutputTokens: " + maxOutputTokens + " (expected: at most contextTokens, "
                        + contextTokens + ")");
    }

    /** A model whose context window the catalog does not state. */
    public FoundationModel(String id, String name, String provider, Set<String> regions, int maxOutputTokens) {
        this(id, name, provider, regions, maxOutputTokens, 0);
    }

    /** A model whose output limit the catalog does not state. */
    public FoundationModel(String id, String name, String provider, Set<String> regions) {
        this(id, name, provider, regions, 0, 0);
    }

    /** Whether a request asking for {@code maxTokens} output tokens is within this model's limit. */
    public boolean allowsOutput(int maxTokens) {
        return maxOutputTokens == 0 || maxTokens <= maxOutputTokens;
    }

    public boolean servedIn(String region) {
        return regions.contains(region);
    }
}
