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

    /** Each was accepted before and ran wrong (a silent seed of 0, a peak ignored), crashed (bin 0) or never ended. */
    @Test
    void valuesThatCannotRun_areRefusedBeforeTheRun() {
        String[][] cases = {
            {"duration: 2m", "duration: -5", "scenario.duration: -5 (expected a duration of 0 or more"},
            {"duration: 2m", "duration: 0", "scenario.duration: 0.0 s (expected: more than 0 s and at most 604800 s"},
            {"duration: 2m", "duration: 30d", "scenario.duration: '30d' (expected a duration like 90s"},
            {"duration: 2m", "duration: 1e9", "scenario.duration: 1.0E9 s (expected: more than 0 s"},
            {"duration: 2m", "duration: [2m]", "scenario.duration: expected a duration like 90s"},
            {"duration: 2m", "duration: 2m\nseed: abc", "scenario.seed: 'abc' (expected a whole number)"},
            {"duration: 2m", "duration: 2m\nseed: 1.5", "scenario.seed: '1.5' (expected a whole number)"},
            {"duration: 2m", "duration: 2m\nbin: 0", "scenario.bin: 0.0 s (expected: more than 0 s"},
            {"duration: 2m", "duration: 2m\nbin: 1ms", "so the 120.0 s make at most 10000 bins"},
            {"duration: 2m", "duration: 2m\ndescription: {a: 1}", "scenario.description: expected a string"},
            {"rate: 5", "rate: 100000", "traffic: up to 24000000 requests in 120 s at the peak rates"},
            {"rate: 5", "rate: 0", "traffic: every rate is 0"},
            {"width: 20s", "width: 0s", "traffic[0].peak.width: 0.0 s (expected: more than 0 s)"},
            {
                "duration: 2m",
                "duration: 2m\ntokens: {input: {median: 500, max: 100}}",
                "tokens.input: median 500 is above max 100"
            },
            {
                "duration: 2m",
                "duration: 2m\nfaults: [{region: eu-west-1, kind: down, from: -10, to: 30s}]",
                "faults[0].from: -10"
            },
            {"duration: 2m", "duration: 2m\npolicies: []", "policies: expected at least one of"},
            {
                "duration: 2m",
                "duration: 2m\npolicies: [meridian, random, meridian]",
                "policies: 'meridian' is named twice"
            },
        };
        for (String[] c : cases) {
            String yaml = MINIMAL.replace(c[0], c[1].replace("\\n", "\n"));
            assertThatThrownBy(() -> reader.parse(yaml), yaml)
                    .isInstanceOf(ScenarioException.class)
                    .hasMessageContaining(c[2]);
        }
    }

    @Test
    void policiesFromTheCommandLine_areCheckedLikeTheFile() {
        Scenario s = reader.parse(MINIMAL);
        assertThat(s.withPolicies(java.util.List.of("meridian")).policies()).containsExactly("meridian");
        assertThatThrownBy(() -> s.withPolicies(java.util.List.of("fastest")))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("policies: unknown policy 'fastest'");
        assertThatThrownBy(() -> s.withPolicies(java.util.List.of())).hasMessageContaining("expected at least one");
    }

    @Test
    void aMedianAboveTheDefaultMax_raisesTheMax() {
        Scenario s = reader.parse(MINIMAL + "tokens: {input: {median: 9000}}\n");
        assertThat(s.inputTokens().max()).isEqualTo(9000);
    }

    /** The annotated example in docs/routing.md is a scenario that reads, so the docs cannot drift from the reader. */
    @Test
    void theDocumentedExample_reads() throws java.io.IOException {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "routing.md"));
        int start = page.indexOf("```yaml\nname: eu-outage");
        assertThat(start).as("the example in docs/routing.md").isNotNegative();
        String yaml = page.substring(page.indexOf('\n', start) + 1, page.indexOf("```", start + 7));
        Scenario s = reader.parse(yaml);
        assertThat(s.faults()).hasSize(4);
        assertThat(s.gateways().perSource()).isEqualTo(3);
    }
}
