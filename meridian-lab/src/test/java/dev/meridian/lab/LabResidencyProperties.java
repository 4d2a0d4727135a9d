package dev.meridian.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.server.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Residency under random load and faults, for every policy: whatever the profile, the sources (members,
 * associates, outsiders), the capacities, the outages, crunches, spikes and flapping, no request is processed
 * outside the allowed set of its profile and source region.
 */
class LabResidencyProperties {
    static final Catalog CATALOG = ConfigLoader.defaults().catalog();

    @Property(tries = 25)
    void noPolicyEverProcessesOutsideTheAllowedSet(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        Random rnd = new Random(seed);
        List<InferenceProfile> profiles = new ArrayList<>(CATALOG.profiles());
        profiles.sort(java.util.Comparator.comparing(InferenceProfile::id));
        InferenceProfile profile = profiles.get(rnd.nextInt(profiles.size()));
        List<String> sources = new ArrayList<>();
        for (String region : CATALOG.regionIds().stream().sorted().toList()) {
            if (!DestinationRules.destinations(
                            CATALOG,
                            new dev.meridian.core.catalog.InvocationTarget(
                                    profile.id(),
                                    CATALOG.model(profile.modelId()).orElseThrow(),
                                    profile),
                            region)
                    .isEmpty()) {
                sources.add(region);
            }
        }
        if (sources.isEmpty()) {
            return;
        }
        List<String> regions = new ArrayList<>(profile.regions());
        regions.sort(String::compareTo);
        StringBuilder yaml = new StringBuilder();
        yaml.append("name: random\nseed: ").append(seed).append("\nduration: 90s\n");
        yaml.append("invoke: ").append(profile.id()).append('\n');
        yaml.append("fleet:\n  defaults: {capacity: ")
                .append(1 + rnd.nextInt(16))
                .append(", ttftMs: 100, decodeTokensPerSecond: 200}\n  queue: ")
                .append(rnd.nextInt(4))
                .append('\n');
        if (rnd.nextBoolean()) {
            yaml.append("  regions:\n    ")
                    .append(regions.get(rnd.nextInt(regions.size())))
                    .append(": {tokensPerMinute: ")
                    .append(20_000 + rnd.nextInt(200_000))
                    .append("}\n");
        }
        yaml.append("traffic:\n");
        int sourceCount = 1 + rnd.nextInt(Math.min(4, sources.size()));
        for (int i = 0; i < sourceCount; i++) {
            yaml.append("  - {source: ")
                    .append(sources.get(rnd.nextInt(sources.size())))
                    .append(", rate: ")
                    .append(1 + rnd.nextInt(20))
                    .append("}\n");
        }
        yaml.append("tokens:\n  output: {median: 60, sigma: 0.5, max: 400}\n  maxTokens: 400\n");
        yaml.append("faults:\n");
        String[] kinds = {"down", "capacity", "latency", "flap"};
        int faults = rnd.nextInt(4);
        for (int i = 0; i < faults; i++) {
            String kind = kinds[rnd.nextInt(kinds.length)];
            yaml.append("  - {region: ")
                    .append(regions.get(rnd.nextInt(regions.size())))
                    .append(", kind: ")
                    .append(kind)
                    .append(", from: ")
                    .append(rnd.nextInt(40))
                    .append("s, to: ")
                    .append(50 + rnd.nextInt(40))
                    .append('s');
            switch (kind) {
                case "capacity" -> yaml.append(String.format(Locale.ROOT, ", factor: %.2f", rnd.nextDouble()));
                case "latency" -> yaml.append(", extraMs: ").append(rnd.nextInt(3000));
                case "flap" -> yaml.append(", period: 10s, down: 4s");
                default -> {}
            }
            yaml.append("}\n");
        }
        yaml.append("bin: 15s\n");
        yaml.append("gateways: {perSource: ")
                .append(1 + rnd.nextInt(3))
                .append(", balancing: ")
                .append(rnd.nextBoolean() ? "sticky" : "random")
                .append(", loadReports: ")
                .append(rnd.nextInt(3) * 5)
                .append("s}\n");
        LabResults results = Lab.run(new ScenarioReader(CATALOG).parse(yaml.toString()), CATALOG, line -> {});
        java.util.Set<String> allowedSomewhere = new java.util.TreeSet<>();
        for (Scenario.Traffic t : results.scenario().traffic()) {
            allowedSomewhere.addAll(DestinationRules.destinations(
                            CATALOG,
                            new dev.meridian.core.catalog.InvocationTarget(
                                    profile.id(),
                                    CATALOG.model(profile.modelId()).orElseThrow(),
                                    profile),
                            t.source())
                    .regions());
        }
        for (RunResult run : results.runs()) {
            assertThat(run.violations()).as(run.policy() + "\n" + yaml).isZero();
            for (var e : run.regionShare().entrySet()) {
                if (e.getValue() > 0) {
                    assertThat(allowedSomewhere)
                            .as(run.policy() + " used " + e.getKey())
                            .contains(e.getKey());
                }
            }
        }
    }
}
