package dev.meridian.core.route;

import dev.meridian.core.residency.AllowedDestinations;
import java.util.List;

/**
 * Everything the gateway decided for one request: the allowed set, the ranked plan, each attempt, and where it
 * was processed. Used by logs, audit events and {@code meridian explain}.
 *
 * @param modelId the foundation model invoked
 * @param allowed the allowed destinations and the rule behind them
 * @param plan the ranked candidates
 * @param attempts the attempts made, in order
 * @param chosenRegion where the request was processed, or {@code null} if no attempt succeeded
 */
public record RoutingDecision(
        String modelId,
        AllowedDestinations allowed,
        RoutingPlan plan,
        List<AttemptRecord> attempts,
        String chosenRegion) {

    public RoutingDecision {
        attempts = List.copyOf(attempts);
    }
}
