package dev.meridian.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabTest {
    static final Catalog CATALOG = ConfigLoader.defaults().catalog();

    static final String OUTAGE = """
            name: small-outage
            description: Ireland down for two of six minutes under EU load.
            seed: 5
            duration: 6m
            invoke: eu.amazon.nova-2-lite-v1:0
            fleet:
              defaults: {capacity: 32, ttftMs: 200, prefillTokensPerSecond: 5000, decodeTokensPerSecond: 80}
              queue: 4
            traffic:
              - {source: eu-central-1, rate: 8}
              - {source: eu-west-1, rate: 6}
              - {source: eu-west-2, rate: 3}
            tokens:
              output: {median: 200, sigma: 0.5, max: 1000}
            conversations: {turns: 4, systemTokens: 1000, active: 200}
            faults:
              - {region: eu-west-1, kind: down, from: 2m, to: 4m}
            bin: 30s
            """;

    static LabResults run(String yaml) {
        return Lab.run(new ScenarioReader(CATALOG).parse(yaml), CATALOG, line -> {});
    }

    static Map<String, RunResult> byPolicy(LabResults results) {
        return results.runs().stream().collect(Collectors.toMap(RunResult::policy, Function.identity()));
    }

    @Test
    void sameSeed_sameReport_otherSeed_otherReport() {
        LabResults a = run(OUTAGE);
        LabResults b = run(OUTAGE);
        assertThat(LabReport.json(a)).isEqualTo(LabReport.json(b));
        assertThat(LabReport.Html.render(a)).isEqualTo(LabReport.Html.render(b));
        LabResults c = run(OUTAGE.replace("seed: 5", "seed: 6"));
        assertThat(LabReport.json(c)).isNotEqualTo(LabReport.json(a));
    }

    @Test
    void outage_everyPolicyStaysInsideTheAllowedSet_meridianAnswersNearlyAll() {
        LabResults results = run(OUTAGE);
        Map<String, RunResult> runs = byPolicy(results);
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(Policies.NAMES);
        assertThat(results.targets().violations()).isZero();
        assertThat(results.targets().capacityCovers()).isTrue();
        RunResult meridian = runs.get("meridian");
        assertThat(meridian.requests()).isGreaterThan(5000);
        assertThat(meridian.successRate()).isGreaterThanOrEqualTo(0.995);
        assertThat(meridian.lostMidStream())
                .as("streams running in Ireland when it failed")
                .isPositive();
        assertThat(meridian.regionShare())
                .as("EU member sources never use London or Zurich; only London's callers may use London")
                .doesNotContainKey("eu-central-2")
                .doesNotContainKeys("us-east-1", "ap-northeast-1");
        RunResult inRegion = runs.get("in-region");
        assertThat(inRegion.inSourceShare()).isEqualTo(1.0);
        assertThat(inRegion.successRate()).isLessThan(meridian.successRate());
        assertThat(meridian.prefixHitRate())
                .isGreaterThan(runs.get("meridian-no-affinity").prefixHitRate());
        assertThat(results.targets().ttftMet()).isTrue();
    }

    @Test
    void capacityCrunchAndTokenQuota_throttleBaselinesMoreThanMeridian() {
        LabResults results = run(
                OUTAGE.replace("  queue: 4\n", "  queue: 0\n  regions:\n    eu-central-1: {tokensPerMinute: 400000}\n")
                        .replace(
                                "  - {region: eu-west-1, kind: down, from: 2m, to: 4m}",
                                "  - {region: eu-central-1, kind: capacity, from: 1m, to: 5m, factor: 0.25}"));
        Map<String, RunResult> runs = byPolicy(results);
        assertThat(runs.get("meridian").throttleRate())
                .isLessThan(runs.get("random").throttleRate());
        assertThat(runs.get("meridian").throttleRate())
                .isLessThan(runs.get("round-robin").throttleRate());
        assertThat(results.targets().violations()).isZero();
    }

    @Test
    void gatewayPool_withLoadReports_noHerd_residencyHolds() {
        Scenario pool = new ScenarioReader(CATALOG).read("eu-gateway-pool").withPolicies(List.of("meridian", "random"));
        LabResults results = Lab.run(pool, CATALOG, line -> {});
        Map<String, RunResult> runs = byPolicy(results);
        assertThat(results.targets().violations()).isZero();
        assertThat(runs.get("meridian").throttleRate())
                .as("load reports extrapolated with this gateway's share: no stampede onto the least-loaded region")
                .isLessThan(0.01);
        assertThat(runs.get("meridian").successRate()).isGreaterThanOrEqualTo(0.999);
        assertThat(results.targets().ttftMet()).isTrue();
        assertThat(LabReport.json(results)).contains("\"perSource\" : 3").contains("\"balancing\" : \"random\"");
    }

    @Test
    void writesReportAndSummary(@TempDir Path dir) throws Exception {
        Path report = LabReport.write(run(OUTAGE.replace("duration: 6m", "duration: 1m")), dir);
        String html = Files.readString(report);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg")
                .contains("small-outage")
                .doesNotContain("<script");
        assertThat(Files.readString(dir.resolve("summary.json")))
                .contains("\"scenario\" : \"small-outage\"")
                .contains("\"violations\" : 0");
    }

    @Test
    void profileNotOfferedInASource_isRefusedBeforeRunning() {
        assertThatThrownBy(() -> run(OUTAGE.replace("invoke: eu.amazon", "invoke: us.amazon")))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("cannot be invoked from eu-central-1");
    }

    @Test
    void onlyChosenPolicies_run() {
        LabResults results = Lab.run(
                new ScenarioReader(CATALOG).parse(OUTAGE).withPolicies(List.of("meridian", "p2c")),
                CATALOG,
                line -> {});
        assertThat(results.runs()).extracting(RunResult::policy).containsExactly("meridian", "p2c");
    }
}
