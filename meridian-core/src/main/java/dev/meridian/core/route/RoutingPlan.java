package dev.meridian.core.route;

import java.util.List;

/**
 * The order in which to try the allowed destinations for one request, best first.
 *
 * @param candidates every allowed destination, ranked; never a region outside the allowed set
 */
public record RoutingPlan(List<Candidate> candidates) {

    public RoutingPlan {
        candidates = List.copyOf(candidates);
    }

    public boolean isEmpty() {
        return candidates.isEmpty();
    }
}
