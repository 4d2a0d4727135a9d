package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.route.Routed;

/**
 * A finished token count (Bedrock's CountTokens): what was asked for and where it was counted, or why not.
 *
 * @param target the resolved model or profile
 * @param routed the number of input tokens or the error, with the routing decision
 * @param latencyMs from the start of routing to the count, as {@link Invocation#latencyMs()}
 */
public record TokenCount(InvocationTarget target, Routed<Integer> routed, long latencyMs)
        implements WholeInvocation<Integer> {}
