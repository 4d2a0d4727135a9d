package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.route.Routed;

/**
 * A finished invocation: what was invoked, how it was routed, and how long it took end to end.
 *
 * @param target the resolved model or profile
 * @param routed the answer or the error, with the routing decision
 * @param latencyMs from the start of routing to the answer
 */
public record Invocation(InvocationTarget target, Routed<ChatResponse> routed, long latencyMs)
        implements WholeInvocation<ChatResponse> {}
