package dev.meridian.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The order in which one round of a benchmark runs its targets: the baselines ({@code direct}, then {@code nginx})
 * first, then the gateways, rotated by one place each round. On shared cores the gateway that runs first after the
 * baselines measures worse than the next one, whatever it is (docs/benchmarks.md, third and fifth passes); rotating
 * gives every gateway every position once in as many rounds as there are gateways (with two gateways, every second
 * round reverses them), where reversing alone would leave the middle ones of three or more never first.
 */
final class TargetOrder {
    private TargetOrder() {}

    /** {@code targets} (in the order named) as round {@code round} (from 0) runs them. */
    static List<String> inRound(Collection<String> targets, int round) {
        List<String> baselines = new ArrayList<>();
        List<String> gateways = new ArrayList<>();
        for (String t : targets) {
            (t.equals("direct") || t.equals("nginx") ? baselines : gateways).add(t);
        }
        if (!gateways.isEmpty()) {
            Collections.rotate(gateways, -(round % gateways.size()));
        }
        baselines.addAll(gateways);
        return baselines;
    }
}
