package dev.meridian.core.testing;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.Region;
import java.util.List;
import java.util.Set;

/** A hand-written topology with the EU's special cases: members, London and Zurich, and a US region. */
public final class EuropeCatalog {
    public static final String MODEL = "amazon.nova-2-lite-v1:0";
    public static final Set<String> EU = Set.of("eu-central-1", "eu-west-1", "eu-west-3", "eu-south-1");

    private EuropeCatalog() {}

    /** Where the EU profile of {@link #MODEL} may send a request from {@code source} in {@code catalog}. */
    public static dev.meridian.core.residency.AllowedDestinations euFrom(Catalog catalog, String source) {
        InferenceProfile p = catalog.profile("eu." + MODEL).orElseThrow();
        return dev.meridian.core.residency.DestinationRules.destinations(
                catalog,
                new dev.meridian.core.catalog.InvocationTarget(
                        p.id(), catalog.model(MODEL).orElseThrow(), p),
                source);
    }

    public static Catalog create() {
        List<Region> regions = List.of(
                new Region("eu-central-1", "Frankfurt", "DE", true, Set.of("eu"), 50.11, 8.68),
                new Region("eu-west-1", "Ireland", "IE", true, Set.of("eu"), 53.35, -6.26),
                new Region("eu-west-3", "Paris", "FR", true, Set.of("eu"), 48.86, 2.35),
                new Region("eu-south-1", "Milan", "IT", true, Set.of("eu"), 45.46, 9.19),
                new Region("eu-west-2", "London", "GB", false, Set.of(), 51.51, -0.13),
                new Region("eu-central-2", "Zurich", "CH", false, Set.of(), 47.37, 8.54),
                new Region("us-east-1", "N. Virginia", "US", false, Set.of("us"), 39.04, -77.49),
                new Region("us-west-2", "Oregon", "US", false, Set.of("us"), 45.6, -121.18));
        List<Geography> geos = List.of(
                new Geography(
                        "eu", "EU", Set.of("eu-west-2", "eu-central-2"), ExternalSources.SOURCE_PLUS_MEMBERS, true),
                new Geography("us", "US", Set.of(), ExternalSources.NOT_OFFERED, false));
        FoundationModel nova = new FoundationModel(
                MODEL,
                "Nova 2 Lite",
                "Amazon",
                Set.of(
                        "eu-central-1",
                        "eu-west-1",
                        "eu-west-3",
                        "eu-south-1",
                        "eu-west-2",
                        "eu-central-2",
                        "us-east-1",
                        "us-west-2"));
        FoundationModel llama =
                new FoundationModel("meta.llama-v1:0", "Llama", "Meta", Set.of("us-east-1", "us-west-2"));
        List<InferenceProfile> profiles = List.of(
                InferenceProfile.systemDefined(
                        "eu",
                        nova,
                        "EU Nova",
                        Set.of("eu-central-1", "eu-west-1", "eu-west-3", "eu-south-1", "eu-west-2", "eu-central-2")),
                InferenceProfile.systemDefined("us", nova, "US Nova", Set.of("us-east-1", "us-west-2")),
                InferenceProfile.systemDefined("global", nova, "Global Nova", nova.regions()),
                InferenceProfile.systemDefined("us", llama, "US Llama", llama.regions()));
        return Catalog.of(regions, geos, List.of(nova, llama), profiles);
    }
}
