package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.route.Routed;
import dev.meridian.provider.ChatStream;
import java.util.List;

/**
 * A streaming invocation for several answers (OpenAI's {@code n}) whose streams have all started at one destination
 * (or that failed before they did).
 *
 * @param target the resolved model or profile
 * @param routed the streams, in choice order, or the error, with the routing decision
 * @param startNanos {@link System#nanoTime()} when routing began
 */
public record StreamChoicesInvocation(InvocationTarget target, Routed<List<ChatStream>> routed, long startNanos) {

    /** Where the request is processed, or {@code null} if it failed. */
    public String inferenceRegion() {
        return routed.decision().chosenRegion();
    }

    /** Milliseconds since routing began. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
