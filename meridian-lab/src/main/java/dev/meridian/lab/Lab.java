package dev.meridian.lab;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.sim.ServingProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The routing lab: runs a {@link Scenario}'s workload through each compared policy, in virtual time, and
 * evaluates the targets. {@code meridian sim run} is its command line; {@link LabReport} writes the results.
 */
public final class Lab {
    private Lab() {}

    /**
     * Runs every policy of {@code scenario} against the same generated workload.
     *
     * @param progress receives one line per finished policy (wall time and events, for the console only: the
     *     results themselves contain no wall-clock data, so the same seed gives the same results)
     */
    public static LabResults run(Scenario scenario, Catalog catalog, Consumer<String> progress) {
        for (Scenario.Traffic t : scenario.traffic()) {
            InvocationTarget target =
                    ModelIdResolver.of(catalog, LabRun.ACCOUNT).resolve(scenario.invoke(), t.source());
            if (DestinationRules.destinations(catalog, target, t.source()).isEmpty()) {
                throw new ScenarioException("traffic: " + scenario.invoke() + " cannot be invoked from "
                        + t.source() + " ("
                        + DestinationRules.destinations(catalog, target, t.source())
                                .rule()
                        + ")");
            }
        }
        Workload workload = Workload.generate(scenario);
        List<RunResult> runs = new ArrayList<>();
        for (String policy : scenario.policies()) {
            long start = System.nanoTime();
            LabRun run = new LabRun(scenario, catalog, workload, policy);
            RunResult result = run.run();
            runs.add(result);
            progress.accept(String.format(
                    "%-22s %,d requests, %,d events in %.1f s",
                    policy, result.requests(), run.events(), (System.nanoTime() - start) / 1e9));
        }
        return new LabResults(scenario, workload.requests().length, runs, targets(scenario, catalog, runs));
    }

    private static LabResults.Targets targets(Scenario scenario, Catalog catalog, List<RunResult> runs) {
        long violations = runs.stream().mapToLong(RunResult::violations).sum();
        RunResult meridian = runs.stream()
                .filter(r -> r.policy().equals("meridian"))
                .findFirst()
                .orElse(null);
        RunResult best = null;
        for (RunResult r : runs) {
            if (!Policies.isMeridian(r.policy())
                    && (best == null || r.ttftMs().p99() < best.ttftMs().p99())) {
                best = r;
            }
        }
        return new LabResults.Targets(
                violations,
                capacityCovers(scenario, catalog),
                meridian == null ? Double.NaN : meridian.successRate(),
                meridian == null ? Double.NaN : meridian.ttftMs().p99(),
                best == null ? null : best.policy(),
                best == null ? Double.NaN : best.ttftMs().p99());
    }

    /**
     * Whether the allowed regions can run the peak offered concurrency (Little's law: peak arrivals per second
     * times the mean service time) with the largest region that a fault takes down missing and capacity faults
     * applied.
     */
    static boolean capacityCovers(Scenario s, Catalog catalog) {
        Set<String> allowed = new TreeSet<>();
        double peakRate = 0;
        for (Scenario.Traffic t : s.traffic()) {
            InvocationTarget target =
                    ModelIdResolver.of(catalog, LabRun.ACCOUNT).resolve(s.invoke(), t.source());
            allowed.addAll(
                    DestinationRules.destinations(catalog, target, t.source()).regions());
            peakRate += t.maxRate();
        }
        double meanInput = s.inputTokens().median()
                        * Math.exp(s.inputTokens().sigma() * s.inputTokens().sigma() / 2)
                + s.conversations().systemTokens();
        double meanOutput = Math.min(
                s.maxTokens(),
                s.outputTokens().median()
                        * Math.exp(s.outputTokens().sigma() * s.outputTokens().sigma() / 2));
        double capacity = 0;
        double largestLost = 0;
        double serviceSeconds = 0;
        for (String region : allowed) {
            ServingProfile p = s.fleet().profile(region);
            double factor = 1.0;
            boolean goesDown = false;
            for (Scenario.Fault f : s.faults()) {
                if (f.region().equals(region)) {
                    if (f.kind() == Scenario.FaultKind.CAPACITY) {
                        factor *= f.factor();
                    }
                    goesDown |= f.kind() == Scenario.FaultKind.DOWN || f.kind() == Scenario.FaultKind.FLAP;
                }
            }
            capacity += p.capacity() * factor;
            if (goesDown) {
                largestLost = Math.max(largestLost, p.capacity() * factor);
            }
            serviceSeconds = Math.max(
                    serviceSeconds,
                    (p.firstTokenMillis((int) meanInput, 0) + meanOutput * p.decodeMillisPerToken(1.0)) / 1000);
        }
        return capacity - largestLost >= peakRate * serviceSeconds;
    }
}
