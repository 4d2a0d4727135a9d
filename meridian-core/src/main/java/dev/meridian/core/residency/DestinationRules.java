package dev.meridian.core.residency;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The residency contract: the single function that decides where a request may be processed.
 *
 * <p>Every code path that picks a region goes through {@link #destinations}; the router only orders its result
 * and the failover loop refuses any region outside it. The rules follow Amazon Bedrock cross-Region inference
 * (user guide "geographic-cross-region-inference", and the 2026 AWS blog on EU data processing):
 *
 * <ul>
 *   <li>no profile (in-region call): the source region alone, if it serves the model;
 *   <li>global profile: every region in the profile's published set;
 *   <li>geographic profile over G, source a member of G: the profile's regions that are members of G (for the EU
 *       profile: EU member-state regions only; London and Zurich are not destinations);
 *   <li>source an associate of G (London, Zurich for the EU): G's member regions plus the source itself;
 *   <li>any other source: as the geography's {@link ExternalSources} says (EU: the source plus EU members);
 *   <li>application profile: only from its home region, with the destinations of what it copies.
 * </ul>
 *
 * <p>Pure and thread-safe: the result depends on the arguments only.
 */
public final class DestinationRules {
    private DestinationRules() {}

    /**
     * The regions where {@code target}, called from {@code sourceRegion}, may be processed. Memoized per catalog
     * (the result depends on the catalog, the profile, the model and the source only), so repeated calls return
     * the same instance.
     */
    public static AllowedDestinations destinations(Catalog catalog, InvocationTarget target, String sourceRegion) {
        return catalog.derived(
                new Query(
                        target.profile() == null ? null : target.profile().id(),
                        target.model().id(),
                        sourceRegion),
                query -> compute(catalog, target, sourceRegion));
    }

    /** What {@link #destinations(Catalog, InvocationTarget, String)} depends on besides the catalog. */
    private record Query(String profileId, String modelId, String sourceRegion) {}

    private static AllowedDestinations compute(Catalog catalog, InvocationTarget target, String sourceRegion) {
        Region source = catalog.region(sourceRegion).orElse(null);
        if (source == null) {
            return none(sourceRegion, "unknown source region " + sourceRegion);
        }
        InferenceProfile profile = target.profile();
        if (profile == null) {
            return inRegion(target.model(), sourceRegion);
        }
        if (!profile.isSystemDefined()) {
            return application(catalog, profile, target.model(), source);
        }
        return geographic(catalog, profile, target.model(), source);
    }

    /**
     * {@link #destinations(Catalog, InvocationTarget, String)} further restricted to {@code permitted}, e.g. the
     * regions an access policy lets the caller use. The restriction can only remove regions, never add one.
     */
    public static AllowedDestinations destinations(
            Catalog catalog, InvocationTarget target, String sourceRegion, Set<String> permitted) {
        AllowedDestinations allowed = destinations(catalog, target, sourceRegion);
        if (permitted.containsAll(allowed.regions())) {
            return allowed;
        }
        Set<String> narrowed = new TreeSet<>(allowed.regions());
        narrowed.retainAll(permitted);
        return new AllowedDestinations(
                sourceRegion, narrowed, allowed.rule() + "; narrowed by the caller's policy to " + narrowed);
    }

    private static AllowedDestinations inRegion(FoundationModel model, String source) {
        if (!model.servedIn(source)) {
            return none(source, "in-region call: " + model.id() + " is not served in the source region " + source);
        }
        return new AllowedDestinations(source, Set.of(source), "in-region call: processed only in the source region");
    }

    private static AllowedDestinations application(
            Catalog catalog, InferenceProfile profile, FoundationModel model, Region source) {
        if (!profile.homeRegion().equals(source.id())) {
            return none(
                    source.id(), "application profile " + profile.id() + " belongs to region " + profile.homeRegion());
        }
        if (profile.copiedFrom() == null) {
            TreeSet<String> regions = new TreeSet<>(profile.regions());
            return new AllowedDestinations(
                    source.id(), regions, "application profile copying " + model.id() + " in " + regions);
        }
        InferenceProfile copied = catalog.profile(profile.copiedFrom()).orElseThrow();
        AllowedDestinations inherited = geographic(catalog, copied, model, source);
        return new AllowedDestinations(
                source.id(),
                inherited.regions(),
                "application profile copying " + copied.id() + "; " + inherited.rule());
    }

    private static AllowedDestinations geographic(
            Catalog catalog, InferenceProfile profile, FoundationModel model, Region source) {
        String geo = profile.geography();
        if (Geography.GLOBAL.equals(geo)) {
            return new AllowedDestinations(
                    source.id(), profile.regions(), "global profile: any commercial region serving the model");
        }
        Geography geography = catalog.geography(geo).orElseThrow();
        TreeSet<String> members = new TreeSet<>();
        for (String region : profile.regions()) {
            if (catalog.region(region).orElseThrow().inGeography(geo)) {
                members.add(region);
            }
        }
        if (source.inGeography(geo)) {
            return new AllowedDestinations(
                    source.id(),
                    members,
                    geo + " profile from member region " + source.id() + ": " + geo + " member regions only");
        }
        if (geography.associates().contains(source.id())) {
            if (profile.regions().contains(source.id())) {
                members.add(source.id());
            }
            return new AllowedDestinations(
                    source.id(),
                    members,
                    geo + " profile from associate region " + source.id() + ": " + geo
                            + " member regions plus the source region");
        }
        if (geography.externalSources() == ExternalSources.SOURCE_PLUS_MEMBERS) {
            if (model.servedIn(source.id())) {
                members.add(source.id());
            }
            return new AllowedDestinations(
                    source.id(),
                    members,
                    geo + " profile from outside " + geo + " (" + source.id() + "): the source region plus " + geo
                            + " member regions");
        }
        return none(source.id(), geo + " profile is not offered in " + source.id() + ", which is outside " + geo);
    }

    private static AllowedDestinations none(String source, String rule) {
        return new AllowedDestinations(source, Set.of(), rule);
    }

    /** The profiles invocable from {@code sourceRegion} (non-empty destinations), with their destinations. */
    public static List<OfferedProfile> offeredIn(Catalog catalog, String sourceRegion) {
        List<OfferedProfile> offered = new ArrayList<>();
        for (InferenceProfile profile : catalog.profiles()) {
            FoundationModel model = catalog.model(profile.modelId()).orElseThrow();
            AllowedDestinations allowed =
                    destinations(catalog, new InvocationTarget(profile.id(), model, profile), sourceRegion);
            if (!allowed.isEmpty()) {
                offered.add(new OfferedProfile(profile, allowed));
            }
        }
        offered.sort(java.util.Comparator.comparing(o -> o.profile().id()));
        return offered;
    }

    /** Ids of the profiles that can serve {@code modelId} from {@code sourceRegion}, sorted. */
    public static List<String> profilesServing(Catalog catalog, String modelId, String sourceRegion) {
        return offeredIn(catalog, sourceRegion).stream()
                .filter(o -> o.profile().modelId().equals(modelId))
                .map(o -> o.profile().id())
                .toList();
    }

    /** A profile offered in a source region, with where it may send requests from there. */
    public record OfferedProfile(InferenceProfile profile, AllowedDestinations destinations) {}
}
