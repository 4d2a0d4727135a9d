package dev.meridian.core.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.testing.EuropeCatalog;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void of_nonEuRegionInEuOnlyGeography_isRefusedNamingTheRegion() {
        Region london = new Region("eu-west-2", "London", "GB", false, Set.of("eu"), 51.5, -0.1);
        Geography eu = new Geography("eu", "EU", Set.of(), ExternalSources.NOT_OFFERED, true);
        assertThatThrownBy(() -> Catalog.of(List.of(london), List.of(eu), List.of(), List.of()))
                .hasMessageContaining("region[eu-west-2].geographies: eu");
    }

    @Test
    void of_profileRegionNotServingModel_isRefused() {
        Region a = new Region("a-1", "A", "DE", true, Set.of("eu"), 0, 0);
        Region b = new Region("b-1", "B", "DE", true, Set.of("eu"), 0, 0);
        Geography eu = new Geography("eu", "EU", Set.of(), ExternalSources.NOT_OFFERED, true);
        FoundationModel m = new FoundationModel("v.m-v1:0", "M", "V", Set.of("a-1"));
        InferenceProfile p = InferenceProfile.systemDefined("eu", m, "EU M", Set.of("a-1", "b-1"));
        assertThatThrownBy(() -> Catalog.of(List.of(a, b), List.of(eu), List.of(m), List.of(p)))
                .hasMessageContaining("regions: b-1 (does not serve v.m-v1:0)");
    }

    @Test
    void region_badCountry_isRefusedWithExpectation() {
        assertThatThrownBy(() -> new Region("x-1", "X", "Germany", true, Set.of(), 0, 0))
                .hasMessageContaining("region[x-1].country: Germany (expected: ISO 3166-1 alpha-2");
    }

    @Test
    void withoutProfile_systemProfile_isRefused() {
        assertThatThrownBy(() -> EuropeCatalog.create().withoutProfile("eu." + EuropeCatalog.MODEL))
                .hasMessageContaining("not an application profile");
    }
}
