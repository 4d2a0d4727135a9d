package dev.meridian.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
    static final Catalog CATALOG = ConfigLoader.defaults().catalog();
    final ScenarioReader reader = new ScenarioReader(CATALOG);

    static final String MINIMAL = """
            name: tiny
            duration: 2m
            invoke: eu.amazon.nova-2-lite-v1:0
            traffic:
              - {source: eu-central-1, rate: 5, peak: {at: 1m, width: 20s, factor: 2}}
            """;

    @Test
    void everyShippedScenarioReads() {
        for (String name : ScenarioReader.SHIPPED) {
            Scenario s = reader.read(name);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.policies()).containsExactlyElementsOf(Policies.NAMES);
            assertThat(s.traffic()).isNotEmpty();
        }
    }

    @Test
    void minimal_getsDefaults() {
        Scenario s = reader.parse(MINIMAL);
        assertThat(s.durationSeconds()).isEqualTo(120);
        assertThat(s.binSeconds()).isEqualTo(2);
        assertThat(s.fleet().profile("eu-west-1").capacity()).isEqualTo(64);
        assertThat(s.traffic().get(0).rateAt(60)).isEqualTo(10.0);
        assertThat(s.traffic().get(0).rateAt(0)).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(s.maxTokens()).isEqualTo(1024);
    }

    @Test
    void mistakes_areNamedByKey() {
        assertThatThrownBy(() -> reader.parse(MINIMAL + "colour: red\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("scenario.colour: unknown key");
        assertThatThrownBy(() -> reader.parse(MINIMAL.replace("eu-central-1", "eu-central-9")))
                .hasMessageContaining("traffic[0].source: unknown region eu-central-9");
        assertThatThrownBy(() -> reader.parse(MINIMAL.replace("duration: 2m", "duration: two minutes")))
                .hasMessageContaining("scenario.duration: 'two minutes' (expected a duration like 90s, 20m or 1h)");
        assertThatThrownBy(() -> reader.parse(MINIMAL.replace("eu.amazon", "mars.amazon")))
                .hasMessageContaining("invoke: unknown model or inference profile mars.amazon.nova-2-lite-v1:0");
        assertThatThrownBy(() -> reader.parse(MINIMAL + "policies: [meridian, fastest]\n"))
                .hasMessageContaining("policies: unknown policy 'fastest'");
        assertThatThrownBy(() -> reader.parse(MINIMAL
                        + "faults:\n  - {region: eu-west-1, kind: flap, from: 0s, to: 1m, period: 10s, down: 20s}\n"))
                .hasMessageContaining("faults[0].down: 20.0 s (expected: > 0 and < period 10.0)");
        assertThatThrownBy(() ->
                        reader.parse(MINIMAL + "faults:\n  - {region: eu-west-1, kind: melt, from: 0s, to: 1m}\n"))
                .hasMessageContaining("faults[0].kind: 'melt' (expected one of down, capacity, latency, flap)");
        assertThatThrownBy(() -> reader.parse(MINIMAL + "fleet: {defaults: {capacity: -1}}\n"))
                .hasMessageContaining("fleet.defaults.capacity: -1.0 (expected: 0.0..1000000.0)");
        assertThatThrownBy(() -> reader.parse(MINIMAL + "gateways: {perSource: 3, balancing: roundrobin}\n"))
                .hasMessageContaining("gateways.balancing: 'roundrobin' (expected sticky or random)");
        assertThatThrownBy(() -> reader.parse(MINIMAL + "gateways: {perSource: 0}\n"))
                .hasMessageContaining("gateways.perSource: 0.0 (expected: 1.0..64.0)");
        assertThatThrownBy(() -> reader.parse("[1, 2")).hasMessageStartingWith("scenario is not valid YAML");
        assertThatThrownBy(() -> reader.read("no-such-scenario"))
                .hasMessageContaining("no scenario file no-such-scenario (shipped scenarios: eu-steady");
    }
}
