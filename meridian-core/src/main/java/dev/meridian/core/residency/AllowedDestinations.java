package dev.meridian.core.residency;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The regions a request may be processed in, and the rule that produced them (for {@code explain} and errors).
 *
 * @param sourceRegion the caller's source region
 * @param regions the allowed destination regions, sorted (unmodifiable); empty when the target is not offered in the source
 * @param rule a sentence naming the rule applied, e.g. {@code "EU profile from EU member state eu-south-1: EU
 *     member-state regions only"}
 */
public record AllowedDestinations(String sourceRegion, Set<String> regions, String rule) {

    public AllowedDestinations {
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        regions = Collections.unmodifiableSortedSet(new TreeSet<>(regions));
        Objects.requireNonNull(rule, "rule");
    }

    public boolean contains(String region) {
        return regions.contains(region);
    }

    public boolean isEmpty() {
        return regions.isEmpty();
    }
}
