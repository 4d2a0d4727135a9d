package dev.meridian.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.residency.DestinationRules;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped catalog against the EU rules, for every source region it has: an exhaustive table. */
class DefaultCatalogResidencyTest {
    static final Catalog CATALOG = ConfigLoader.defaults().catalog();
    static final String EU = "eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3";

    static Set<String> euNova(String source) {
        InferenceProfile p = CATALOG.profile("eu.amazon.nova-2-lite-v1:0").orElseThrow();
        return DestinationRules.destinations(
                        CATALOG,
                        new InvocationTarget(p.id(), CATALOG.model(p.modelId()).orElseThrow(), p),
                        source)
                .regions();
    }

    @ParameterizedTest(name = "eu.amazon.nova-2-lite-v1:0 from {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eu-central-1   | " + EU,
                "eu-west-1      | " + EU,
                "eu-west-3      | " + EU,
                "eu-north-1     | " + EU,
                "eu-south-1     | " + EU,
                "eu-south-2     | " + EU,
                "eu-west-2      | " + EU + " eu-west-2",
                "eu-central-2   | " + EU + " eu-central-2",
                "us-east-1      | " + EU + " us-east-1",
                "us-east-2      | " + EU + " us-east-2",
                "us-west-2      | " + EU + " us-west-2",
                "ca-central-1   | " + EU + " ca-central-1",
                "ca-west-1      | " + EU + " ca-west-1",
                "ap-northeast-1 | " + EU + " ap-northeast-1",
                "ap-northeast-3 | " + EU + " ap-northeast-3",
                "ap-south-1     | " + EU + " ap-south-1",
                "ap-southeast-1 | " + EU + " ap-southeast-1",
                "ap-southeast-2 | " + EU + " ap-southeast-2",
                "ap-southeast-4 | " + EU + " ap-southeast-4",
            })
    void euProfile_everySource(String source, String expected) {
        assertThat(euNova(source)).isEqualTo(new TreeSet<>(Arrays.asList(expected.split(" +"))));
    }

    @Test
    void table_coversEverySourceRegionOfTheCatalog() {
        assertThat(CATALOG.regions()).hasSize(19);
    }

    @Test
    void everyEuProfile_fromEveryEuMemberSource_staysInEuMemberStates() {
        for (InferenceProfile p : CATALOG.profiles()) {
            if (!"eu".equals(p.geography())) {
                continue;
            }
            for (Region source : CATALOG.regions()) {
                if (!source.euMemberState()) {
                    continue;
                }
                var allowed = DestinationRules.destinations(
                        CATALOG,
                        new InvocationTarget(p.id(), CATALOG.model(p.modelId()).orElseThrow(), p),
                        source.id());
                assertThat(allowed.regions())
                        .allMatch(r -> CATALOG.region(r).orElseThrow().euMemberState());
            }
        }
    }
}
