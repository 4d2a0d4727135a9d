package dev.meridian.core.residency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ProfileType;
import dev.meridian.core.testing.EuropeCatalog;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The EU rules as a table: every source region against the EU, global and in-region targets. */
class DestinationRulesTest {
    static final Catalog CATALOG = EuropeCatalog.create();
    static final String EU_ALL = "eu-central-1 eu-south-1 eu-west-1 eu-west-3";

    static Set<String> destinations(String id, String source) {
        InferenceProfile p = CATALOG.profile(id).orElse(null);
        var model = CATALOG.model(p != null ? p.modelId() : id).orElseThrow();
        return DestinationRules.destinations(CATALOG, new InvocationTarget(id, model, p), source)
                .regions();
    }

    static Set<String> set(String spaceSeparated) {
        return spaceSeparated.isBlank()
                ? Set.of()
                : new TreeSet<>(Arrays.asList(spaceSeparated.trim().split(" +")));
    }

    @ParameterizedTest(name = "eu profile from {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eu-central-1 | eu-central-1 eu-south-1 eu-west-1 eu-west-3",
                "eu-west-1    | eu-central-1 eu-south-1 eu-west-1 eu-west-3",
                "eu-west-3    | eu-central-1 eu-south-1 eu-west-1 eu-west-3",
                "eu-south-1   | eu-central-1 eu-south-1 eu-west-1 eu-west-3",
                "eu-west-2    | eu-central-1 eu-south-1 eu-west-1 eu-west-3 eu-west-2",
                "eu-central-2 | eu-central-1 eu-south-1 eu-west-1 eu-west-3 eu-central-2",
                "us-east-1    | eu-central-1 eu-south-1 eu-west-1 eu-west-3 us-east-1",
                "us-west-2    | eu-central-1 eu-south-1 eu-west-1 eu-west-3 us-west-2",
            })
    void euProfile_table(String source, String expected) {
        assertThat(destinations("eu." + EuropeCatalog.MODEL, source)).isEqualTo(set(expected));
    }

    @ParameterizedTest(name = "in-region call from {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eu-central-1 | eu-central-1",
                "eu-west-2    | eu-west-2",
                "eu-central-2 | eu-central-2",
                "us-east-1    | us-east-1",
            })
    void plainModelId_sourceRegionOnly(String source, String expected) {
        assertThat(destinations(EuropeCatalog.MODEL, source)).isEqualTo(set(expected));
    }

    @Test
    void plainModelId_notServedInSource_isEmpty() {
        assertThat(destinations("meta.llama-v1:0", "eu-central-1")).isEmpty();
    }

    @Test
    void usProfile_fromEu_isNotOffered() {
        assertThat(destinations("us." + EuropeCatalog.MODEL, "eu-central-1")).isEmpty();
        assertThat(destinations("us." + EuropeCatalog.MODEL, "eu-west-2")).isEmpty();
    }

    @Test
    void globalProfile_anyRegionServingTheModel() {
        assertThat(destinations("global." + EuropeCatalog.MODEL, "eu-central-1"))
                .isEqualTo(CATALOG.model(EuropeCatalog.MODEL).orElseThrow().regions().stream()
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void euProfile_fromMember_neverLondonOrZurich() {
        for (String source : EuropeCatalog.EU) {
            assertThat(destinations("eu." + EuropeCatalog.MODEL, source)).doesNotContain("eu-west-2", "eu-central-2");
        }
    }

    @Test
    void applicationProfile_copyingEu_inheritsEuRulesInItsHomeRegionOnly() {
        InferenceProfile app = new InferenceProfile(
                "abcdef123456",
                "team-a",
                "",
                ProfileType.APPLICATION,
                EuropeCatalog.MODEL,
                null,
                CATALOG.profile("eu." + EuropeCatalog.MODEL).orElseThrow().regions(),
                "eu." + EuropeCatalog.MODEL,
                "eu-west-2",
                Instant.EPOCH,
                Map.of("team", "a"));
        Catalog withApp = CATALOG.withProfile(app);
        var model = withApp.model(EuropeCatalog.MODEL).orElseThrow();
        var target = new InvocationTarget(app.id(), model, app);

        assertThat(DestinationRules.destinations(withApp, target, "eu-west-2").regions())
                .isEqualTo(set(EU_ALL + " eu-west-2"));
        assertThat(DestinationRules.destinations(withApp, target, "eu-central-1")
                        .regions())
                .isEmpty();
    }

    @Test
    void unknownSource_isEmpty() {
        assertThat(destinations("eu." + EuropeCatalog.MODEL, "mars-north-1")).isEmpty();
    }

    @Test
    void profilesServing_namesTheProfilesOfferedInTheSource() {
        assertThat(DestinationRules.profilesServing(CATALOG, "meta.llama-v1:0", "us-east-1"))
                .containsExactly("us.meta.llama-v1:0");
        assertThat(DestinationRules.profilesServing(CATALOG, EuropeCatalog.MODEL, "eu-central-1"))
                .containsExactly("eu." + EuropeCatalog.MODEL, "global." + EuropeCatalog.MODEL);
    }
}
