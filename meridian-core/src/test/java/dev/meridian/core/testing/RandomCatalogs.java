package dev.meridian.core.testing;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.Region;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random but valid topologies for property tests: 2 to 14 regions with random jurisdictions, an EU-like
 * geography restricted to EU member states with random associates, two more geographies with random policies,
 * up to four models served in random region subsets, and every system profile those imply.
 */
public final class RandomCatalogs {
    private RandomCatalogs() {}

    public static Arbitrary<Catalog> catalogs() {
        return Arbitraries.longs().map(RandomCatalogs::generate);
    }

    public static Catalog generate(long seed) {
        Random rnd = new Random(seed);
        int regionCount = 2 + rnd.nextInt(13);
        List<Geography> geographies = new ArrayList<>();
        List<Region> regions = new ArrayList<>();
        List<String> nonEu = new ArrayList<>();
        for (int i = 0; i < regionCount; i++) {
            boolean eu = rnd.nextBoolean();
            Set<String> geos = new HashSet<>();
            if (eu && rnd.nextInt(4) > 0) {
                geos.add("eu");
            }
            if (rnd.nextBoolean()) {
                geos.add("g1");
            }
            if (rnd.nextInt(3) == 0) {
                geos.add("g2");
            }
            String id = "r" + i;
            if (!eu) {
                nonEu.add(id);
            }
            regions.add(new Region(
                    id,
                    "Region " + i,
                    eu ? "DE" : "US",
                    eu,
                    geos,
                    rnd.nextDouble() * 160 - 80,
                    rnd.nextDouble() * 340 - 170));
        }
        Set<String> euAssociates = pick(rnd, nonEu);
        geographies.add(new Geography("eu", "EU", euAssociates, policy(rnd), true));
        geographies.add(new Geography("g1", "G1", associates(rnd, regions, "g1"), policy(rnd), false));
        geographies.add(new Geography("g2", "G2", associates(rnd, regions, "g2"), policy(rnd), false));
        List<FoundationModel> models = new ArrayList<>();
        int modelCount = 1 + rnd.nextInt(4);
        for (int m = 0; m < modelCount; m++) {
            Set<String> served = new LinkedHashSet<>();
            for (Region r : regions) {
                if (rnd.nextInt(3) > 0) {
                    served.add(r.id());
                }
            }
            if (served.isEmpty()) {
                served.add(regions.get(rnd.nextInt(regionCount)).id());
            }
            models.add(new FoundationModel("vendor.model-" + m + "-v1:0", "Model " + m, "Vendor", served));
        }
        List<InferenceProfile> profiles = new ArrayList<>();
        for (FoundationModel model : models) {
            profiles.add(InferenceProfile.systemDefined(Geography.GLOBAL, model, "Global", model.regions()));
            for (Geography g : geographies) {
                Set<String> set = new LinkedHashSet<>();
                boolean hasMember = false;
                for (Region r : regions) {
                    boolean member = r.inGeography(g.id());
                    if (model.servedIn(r.id()) && (member || g.associates().contains(r.id()))) {
                        set.add(r.id());
                        hasMember |= member;
                    }
                }
                if (hasMember) {
                    profiles.add(InferenceProfile.systemDefined(g.id(), model, g.displayName(), set));
                }
            }
        }
        return Catalog.of(regions, geographies, models, profiles);
    }

    private static Set<String> associates(Random rnd, List<Region> regions, String geo) {
        List<String> outside = regions.stream()
                .filter(r -> !r.inGeography(geo))
                .map(Region::id)
                .toList();
        return pick(rnd, outside);
    }

    private static Set<String> pick(Random rnd, List<String> from) {
        Set<String> out = new HashSet<>();
        for (String id : from) {
            if (rnd.nextInt(3) == 0) {
                out.add(id);
            }
        }
        return out;
    }

    private static ExternalSources policy(Random rnd) {
        return rnd.nextBoolean() ? ExternalSources.NOT_OFFERED : ExternalSources.SOURCE_PLUS_MEMBERS;
    }
}
