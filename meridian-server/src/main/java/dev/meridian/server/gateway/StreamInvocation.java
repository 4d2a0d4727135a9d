package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.route.Routed;
import dev.meridian.provider.ChatStream;

/**
 * A streaming invocation whose first event is ready (or that failed before it).
 *
 * @param target the resolved model or profile
 * @param routed the stream or the error, with the routing decision
 * @param startNanos {@link System#nanoTime()} when routing began, for the final latency metric
 */
public record StreamInvocation(InvocationTarget target, Routed<ChatStream> routed, long startNanos) {

    /** Where the request is processed, or {@code null} if it failed. */
    public String inferenceRegion() {
        return routed.decision().chosenRegion();
    }

    /** Milliseconds since routing began. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
