package dev.meridian.server.gateway;

import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.route.RoutingPlan;

/**
 * Why a request would be routed the way it would: {@code meridian explain} prints this.
 *
 * @param requestedId the model id as given
 * @param modelId the foundation model it resolves to
 * @param profileId the inference profile, or {@code null} for an in-region call
 * @param allowed the allowed destinations and the rule behind them
 * @param plan the current ranking under live signals
 * @param alternatives profiles that serve the model from the source region (listed when nothing is allowed)
 * @param principal the principal whose policies were evaluated, or {@code null}
 * @param policy the policy decision for {@code principal}, or {@code null} when none was asked for
 * @param spread where the next N requests would go under current signals ({@code explain --simulate N}), or
 *     {@code null}
 */
public record Explanation(
        String requestedId,
        String modelId,
        String profileId,
        AllowedDestinations allowed,
        RoutingPlan plan,
        java.util.List<String> alternatives,
        String principal,
        dev.meridian.server.policy.Authorization.InvocationDecision policy,
        java.util.Map<String, Integer> spread) {}
