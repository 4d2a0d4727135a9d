package dev.meridian.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The order in which one round of a benchmark runs its targets: the baselines ({@code direct}, then {@code nginx})
 * first, the gateways after them, reversed in every second round. On shared cores the gateway that runs first after
 * the baselines measures worse than the next one, whatever it is (docs/benchmarks.md, third and fifth passes), so an
 * even number of rounds gives every gateway both positions.
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
        if (round % 2 == 1) {
            Collections.reverse(gateways);
        }
        baselines.addAll(gateways);
        return baselines;
    }
}
