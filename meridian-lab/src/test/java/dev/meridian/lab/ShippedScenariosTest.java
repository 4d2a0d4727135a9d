package dev.meridian.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The lab's targets, as a regression test of the router: every shipped scenario, with every policy, must keep
 * zero residency violations, answer at least 99.9 % when capacity covers the load, and give Meridian a p99 time to
 * first token at or below the best baseline's. The tables in {@code docs/routing.md} come from these runs.
 */
class ShippedScenariosTest {
    static final Catalog CATALOG = ConfigLoader.defaults().catalog();
    static final java.util.List<String> SHIPPED = ScenarioReader.SHIPPED;

    @ParameterizedTest
    @FieldSource("SHIPPED")
    void meetsTheTargets(String name) {
        LabResults results = Lab.run(new ScenarioReader(CATALOG).read(name), CATALOG, line -> {});
        LabResults.Targets t = results.targets();
        assertThat(t.violations()).as(name + " residency").isZero();
        assertThat(t.capacityCovers())
                .as(name + " is sized so that capacity covers the load")
                .isTrue();
        assertThat(t.successMet())
                .as(name + " success " + t.meridianSuccessRate())
                .isTrue();
        assertThat(t.ttftMet())
                .as(name + " p99 TTFT " + t.meridianTtftP99() + " vs " + t.bestBaseline() + " "
                        + t.bestBaselineTtftP99())
                .isTrue();
    }
}
