package dev.meridian.core.residency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.testing.RandomCatalogs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The residency contract over random topologies: every rule of DESIGN.md section 2, for every source region. */
class DestinationRulesProperties {

    @Provide
    Arbitrary<Catalog> catalogs() {
        return RandomCatalogs.catalogs();
    }

    @Property(tries = 300)
    void destinations_alwaysServeTheModel(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(
                catalog,
                (target, source, allowed) -> assertThat(allowed.regions()).allMatch(target.model()::servedIn));
    }

    @Property(tries = 300)
    void plainModelId_isProcessedOnlyInTheSourceRegion(@ForAll("catalogs") Catalog catalog) {
        for (FoundationModel model : catalog.models()) {
            for (Region source : catalog.regions()) {
                AllowedDestinations allowed = DestinationRules.destinations(
                        catalog, new InvocationTarget(model.id(), model, null), source.id());
                assertThat(allowed.regions()).isSubsetOf(java.util.Set.of(source.id()));
                assertThat(allowed.isEmpty()).isEqualTo(!model.servedIn(source.id()));
            }
        }
    }

    @Property(tries = 300)
    void geographicProfile_fromMember_staysAmongMembers(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(catalog, (target, source, allowed) -> {
            InferenceProfile p = target.profile();
            if (p != null
                    && !Geography.GLOBAL.equals(p.geography())
                    && region(catalog, source).inGeography(p.geography())) {
                assertThat(allowed.regions()).allMatch(r -> region(catalog, r).inGeography(p.geography()));
            }
        });
    }

    @Property(tries = 300)
    void euProfile_fromEuMemberState_onlyEuMemberStates(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(catalog, (target, source, allowed) -> {
            InferenceProfile p = target.profile();
            if (p != null
                    && "eu".equals(p.geography())
                    && region(catalog, source).inGeography("eu")) {
                assertThat(allowed.regions()).allMatch(r -> region(catalog, r).euMemberState());
            }
        });
    }

    @Property(tries = 300)
    void geographicProfile_anyNonMemberDestination_isTheSourceItself(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(catalog, (target, source, allowed) -> {
            InferenceProfile p = target.profile();
            if (p != null && !Geography.GLOBAL.equals(p.geography())) {
                assertThat(allowed.regions())
                        .allMatch(r -> region(catalog, r).inGeography(p.geography()) || r.equals(source));
            }
        });
    }

    @Property(tries = 300)
    void geographicProfile_staysInsideItsPublishedSetPlusSource(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(catalog, (target, source, allowed) -> {
            if (target.profile() != null) {
                assertThat(allowed.regions())
                        .allMatch(r -> target.profile().regions().contains(r) || r.equals(source));
            }
        });
    }

    @Property(tries = 300)
    void globalProfile_isItsPublishedSet(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(catalog, (target, source, allowed) -> {
            if (target.profile() != null
                    && Geography.GLOBAL.equals(target.profile().geography())) {
                assertThat(allowed.regions())
                        .isEqualTo(new java.util.TreeSet<>(target.profile().regions()));
            }
        });
    }

    @Property(tries = 200)
    void offeredIn_listsExactlyTheProfilesWithDestinations(@ForAll("catalogs") Catalog catalog) {
        for (Region source : catalog.regions()) {
            var offered = DestinationRules.offeredIn(catalog, source.id());
            for (InferenceProfile p : catalog.profiles()) {
                boolean invocable = !DestinationRules.destinations(
                                catalog,
                                new InvocationTarget(
                                        p.id(), catalog.model(p.modelId()).orElseThrow(), p),
                                source.id())
                        .isEmpty();
                assertThat(offered.stream().anyMatch(o -> o.profile().id().equals(p.id())))
                        .isEqualTo(invocable);
            }
        }
    }

    @Property(tries = 100)
    void destinations_isPure(@ForAll("catalogs") Catalog catalog) {
        forEveryCall(
                catalog,
                (target, source, allowed) -> assertThat(DestinationRules.destinations(catalog, target, source))
                        .isEqualTo(allowed));
    }

    interface Check {
        void verify(InvocationTarget target, String source, AllowedDestinations allowed);
    }

    static void forEveryCall(Catalog catalog, Check check) {
        for (InferenceProfile p : catalog.profiles()) {
            InvocationTarget target =
                    new InvocationTarget(p.id(), catalog.model(p.modelId()).orElseThrow(), p);
            for (Region source : catalog.regions()) {
                check.verify(target, source.id(), DestinationRules.destinations(catalog, target, source.id()));
            }
        }
        for (FoundationModel m : catalog.models()) {
            InvocationTarget target = new InvocationTarget(m.id(), m, null);
            for (Region source : catalog.regions()) {
                check.verify(target, source.id(), DestinationRules.destinations(catalog, target, source.id()));
            }
        }
    }

    static Region region(Catalog catalog, String id) {
        return catalog.region(id).orElseThrow();
    }
}
