package dev.meridian.core.catalog;

import static dev.meridian.core.catalog.Checks.require;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The topology Meridian routes over: regions, geographies, foundation models and inference profiles.
 *
 * <p>Immutable and validated on construction, so every lookup afterwards can trust it; adding an application
 * profile returns a new catalog (copy on write: profile creation is rare, lookups are on every request).
 */
public final class Catalog {
    private final Map<String, Region> regions;
    private final Map<String, Geography> geographies;
    private final Map<String, FoundationModel> models;
    private final Map<String, InferenceProfile> profiles;
    private final java.util.concurrent.ConcurrentHashMap<Object, Object> derived =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Catalog(
            Map<String, Region> regions,
            Map<String, Geography> geographies,
            Map<String, FoundationModel> models,
            Map<String, InferenceProfile> profiles) {
        this.regions = regions;
        this.geographies = geographies;
        this.models = models;
        this.profiles = profiles;
    }

    /**
     * Validates and assembles a catalog.
     *
     * @throws IllegalArgumentException naming the first inconsistency found (unknown region, duplicate id, ...)
     */
    public static Catalog of(
            Collection<Region> regions,
            Collection<Geography> geographies,
            Collection<FoundationModel> models,
            Collection<InferenceProfile> profiles) {
        Map<String, Region> regionById = index(regions, Region::id, "region");
        Map<String, Geography> geographyById = index(geographies, Geography::id, "geography");
        require(!geographyById.containsKey(Geography.GLOBAL), "geography.id: global (reserved: it is implied)");
        Map<String, FoundationModel> modelById = index(models, FoundationModel::id, "model");
        Map<String, InferenceProfile> profileById = index(profiles, InferenceProfile::id, "profile");
        Catalog catalog = new Catalog(
                Map.copyOf(regionById), Map.copyOf(geographyById), Map.copyOf(modelById), Map.copyOf(profileById));
        catalog.validate();
        return catalog;
    }

    private static <T> Map<String, T> index(
            Collection<T> items, java.util.function.Function<T, String> id, String kind) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T item : items) {
            require(byId.putIfAbsent(id.apply(item), item) == null, kind + ".id: " + id.apply(item) + " (duplicate)");
        }
        return byId;
    }

    private void validate() {
        for (Region region : regions.values()) {
            for (String geo : region.geographies()) {
                require(
                        geographies.containsKey(geo),
                        "region[" + region.id() + "].geographies: " + geo + " (expected one of "
                                + new TreeSet<>(geographies.keySet()) + ")");
                require(
                        !geographies.get(geo).euMemberStatesOnly() || region.euMemberState(),
                        "region[" + region.id() + "].geographies: " + geo
                                + " (expected: only EU member-state regions may join " + geo + ")");
            }
        }
        for (Geography geo : geographies.values()) {
            for (String associate : geo.associates()) {
                requireRegion(associate, "geography[" + geo.id() + "].associates");
                require(
                        !regions.get(associate).inGeography(geo.id()),
                        "geography[" + geo.id() + "].associates: " + associate + " (is already a member)");
            }
        }
        for (FoundationModel model : models.values()) {
            model.regions().forEach(r -> requireRegion(r, "model[" + model.id() + "].regions"));
        }
        profiles.values().forEach(this::validateProfile);
    }

    private void validateProfile(InferenceProfile profile) {
        String field = "profile[" + profile.id() + "]";
        FoundationModel model = models.get(profile.modelId());
        require(model != null, field + ".modelId: " + profile.modelId() + " (unknown model)");
        for (String region : profile.regions()) {
            requireRegion(region, field + ".regions");
            require(model.servedIn(region), field + ".regions: " + region + " (does not serve " + model.id() + ")");
        }
        if (profile.isSystemDefined()) {
            String geo = profile.geography();
            require(
                    Geography.GLOBAL.equals(geo) || geographies.containsKey(geo),
                    field + ".geography: " + geo + " (unknown geography)");
            for (String region : profile.regions()) {
                require(
                        isMemberOrAssociate(geo, region),
                        field + ".regions: " + region + " (not a member or associate of " + geo + ")");
            }
        } else {
            requireRegion(profile.homeRegion(), field + ".homeRegion");
            if (profile.copiedFrom() != null) {
                InferenceProfile source = profiles.get(profile.copiedFrom());
                require(
                        source != null && source.isSystemDefined(),
                        field + ".copiedFrom: " + profile.copiedFrom() + " (expected: a system-defined profile)");
            }
        }
    }

    private void requireRegion(String id, String field) {
        require(regions.containsKey(id), field + ": " + id + " (unknown region)");
    }

    /** Whether {@code region} is a member of {@code geography} or one of its associates. */
    public boolean isMemberOrAssociate(String geography, String region) {
        Region r = regions.get(region);
        if (r == null) {
            return false;
        }
        Geography geo = geographies.get(geography);
        return r.inGeography(geography) || (geo != null && geo.associates().contains(region));
    }

    /** Returns a catalog that also holds {@code profile}; fails if the id is taken or the profile is invalid. */
    public Catalog withProfile(InferenceProfile profile) {
        require(!profiles.containsKey(profile.id()), "profile.id: " + profile.id() + " (duplicate)");
        Map<String, InferenceProfile> copy = new LinkedHashMap<>(profiles);
        copy.put(profile.id(), profile);
        Catalog catalog = new Catalog(regions, geographies, models, Map.copyOf(copy));
        catalog.validateProfile(profile);
        return catalog;
    }

    /** Returns a catalog without the application profile {@code id} (system profiles cannot be removed). */
    public Catalog withoutProfile(String id) {
        InferenceProfile profile = profiles.get(id);
        require(profile != null && !profile.isSystemDefined(), "profile.id: " + id + " (not an application profile)");
        Map<String, InferenceProfile> copy = new LinkedHashMap<>(profiles);
        copy.remove(id);
        return new Catalog(regions, geographies, models, Map.copyOf(copy));
    }

    /**
     * A value computed from this catalog alone, computed once per {@code key} and kept as long as the catalog (it
     * is immutable; a changed topology is a new catalog). Pure functions of the catalog, such as the allowed
     * destinations of a profile from a source region, memoize here so the request path does not recompute them.
     */
    @SuppressWarnings("unchecked")
    public <K, V> V derived(K key, java.util.function.Function<? super K, ? extends V> compute) {
        Object value = derived.get(key);
        if (value == null) {
            value = derived.computeIfAbsent(key, k -> compute.apply((K) k));
        }
        return (V) value;
    }

    public Optional<Region> region(String id) {
        return Optional.ofNullable(regions.get(id));
    }

    public Optional<Geography> geography(String id) {
        return Optional.ofNullable(geographies.get(id));
    }

    public Optional<FoundationModel> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** The context window of the model {@code id} in tokens; 0 for a model not in the catalog or not stating one. */
    public int contextTokens(String id) {
        FoundationModel m = models.get(id);
        return m == null ? 0 : m.contextTokens();
    }

    public Optional<InferenceProfile> profile(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    public Collection<Region> regions() {
        return regions.values();
    }

    public Collection<Geography> geographies() {
        return geographies.values();
    }

    public Collection<FoundationModel> models() {
        return models.values();
    }

    public Collection<InferenceProfile> profiles() {
        return profiles.values();
    }

    /** The ids of all regions, sorted. */
    public Set<String> regionIds() {
        return new TreeSet<>(regions.keySet());
    }
}
