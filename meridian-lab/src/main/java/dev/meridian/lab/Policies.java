package dev.meridian.lab;

import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.route.Candidate;
import dev.meridian.core.route.CandidateState;
import dev.meridian.core.route.DestinationKey;
import dev.meridian.core.route.LiveSignals;
import dev.meridian.core.route.RouteRequest;
import dev.meridian.core.route.Router;
import dev.meridian.core.route.RoutingPlan;
import dev.meridian.core.route.SignalSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The policies the lab compares: Meridian's router (with and without prompt-cache affinity) and the usual
 * baselines. Baselines see the same allowed set and the gateway's own in-flight counts; none uses round trips,
 * capacities or failure history.
 */
final class Policies {
    /** Every policy, in report order. */
    static final List<String> NAMES = List.of(
            "meridian", "meridian-no-affinity", "in-region", "random", "round-robin", "least-outstanding", "p2c");

    private Policies() {}

    /** In-region only: what a caller gets without a profile (the allowed set is the source region alone). */
    static boolean inRegionOnly(String name) {
        return name.equals("in-region");
    }

    /** Whether {@code name} is one of Meridian's own router configurations. */
    static boolean isMeridian(String name) {
        return name.startsWith("meridian");
    }

    static RoutingPolicy create(String name, Router router, LiveSignals signals, SplittableRandom random) {
        return switch (name) {
            case "meridian", "meridian-no-affinity" -> router::plan;
            case "in-region" -> (allowed, request) -> ordered(new ArrayList<>(allowed.regions()));
            case "random" ->
                (allowed, request) -> {
                    List<String> regions = new ArrayList<>(allowed.regions());
                    shuffle(regions, random, 0);
                    return ordered(regions);
                };
            case "round-robin" ->
                new RoutingPolicy() {
                    private long next;

                    @Override
                    public RoutingPlan plan(AllowedDestinations allowed, RouteRequest request) {
                        List<String> regions = new ArrayList<>(allowed.regions());
                        if (!regions.isEmpty()) {
                            java.util.Collections.rotate(regions, -(int) (next++ % regions.size()));
                        }
                        return ordered(regions);
                    }
                };
            case "least-outstanding" ->
                (allowed, request) -> {
                    List<String> regions = new ArrayList<>(allowed.regions());
                    shuffle(regions, random, 0);
                    regions.sort(Comparator.comparingInt(r -> inFlight(signals, r, request)));
                    return ordered(regions);
                };
            case "p2c" ->
                (allowed, request) -> {
                    List<String> regions = new ArrayList<>(allowed.regions());
                    shuffle(regions, random, 0);
                    if (regions.size() >= 2
                            && inFlight(signals, regions.get(1), request)
                                    < inFlight(signals, regions.get(0), request)) {
                        java.util.Collections.swap(regions, 0, 1);
                    }
                    return ordered(regions);
                };
            default -> throw new ScenarioException("unknown policy " + name + " (expected one of " + NAMES + ")");
        };
    }

    private static int inFlight(LiveSignals signals, String region, RouteRequest request) {
        return signals.snapshot(new DestinationKey(region, request.modelId())).inFlight();
    }

    private static void shuffle(List<String> regions, SplittableRandom random, int from) {
        for (int i = regions.size() - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            java.util.Collections.swap(regions, i, j);
        }
    }

    private static RoutingPlan ordered(List<String> regions) {
        List<Candidate> candidates = new ArrayList<>(regions.size());
        for (String r : regions) {
            candidates.add(new Candidate(r, CandidateState.AVAILABLE, Double.NaN, Double.NaN, SignalSnapshot.UNKNOWN));
        }
        return new RoutingPlan(candidates);
    }
}
