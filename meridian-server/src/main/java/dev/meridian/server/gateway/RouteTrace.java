package dev.meridian.server.gateway;

import dev.meridian.core.route.RoutingDecision;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where the routing of one request reports to the request's trace: each attempt at a destination as it starts
 * and ends, and the decision once it is made; and what it hears from the request: whether its caller went away.
 * The gateway stays ignorant of the tracing library and the HTTP server; {@link #NONE} when there is no request to
 * report to or hear from, at the cost of nothing.
 */
public interface RouteTrace {
    /** Records nothing and propagates nothing. */
    RouteTrace NONE = new RouteTrace() {
        @Override
        public Attempt attempt(String region) {
            return Attempt.NONE;
        }

        @Override
        public void routed(RoutingDecision decision) {}
    };

    /** An attempt at {@code region} starts now. */
    Attempt attempt(String region);

    /** The routing is decided: allowed set, attempts and where the request was processed (if anywhere). */
    void routed(RoutingDecision decision);

    /**
     * Completes when the caller goes away (closes its connection or stream) before its answer: the routing then
     * gives its attempt up and tries no other destination. Null: the caller is not followed.
     */
    default CompletionStage<?> callerGone() {
        return null;
    }

    /** One attempt in the trace. */
    interface Attempt {
        /** Nothing to record or propagate. */
        Attempt NONE = new Attempt() {
            @Override
            public Map<String, String> headers() {
                return Map.of();
            }

            @Override
            public void ended(Throwable failure) {}
        };

        /** Headers that carry this attempt's trace context to the destination. */
        Map<String, String> headers();

        /**
         * The destination answered (the first event, for a stream), or failed.
         *
         * @param failure why it failed, or {@code null}
         */
        void ended(Throwable failure);
    }
}
