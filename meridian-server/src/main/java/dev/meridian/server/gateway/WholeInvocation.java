package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.route.Routed;

/**
 * A finished invocation answered whole (not streamed), with one answer or several: what a surface needs to log its
 * routing and write its answer, whichever it was.
 *
 * @param <T> the answer: one response, or the responses of several choices
 */
public interface WholeInvocation<T> {
    /** The resolved model or profile. */
    InvocationTarget target();

    /** The answer or the error, with the routing decision. */
    Routed<T> routed();

    /** From the start of routing to the answer. */
    long latencyMs();

    /** Where the request was processed, or {@code null} if it failed. */
    default String inferenceRegion() {
        return routed().decision().chosenRegion();
    }
}
