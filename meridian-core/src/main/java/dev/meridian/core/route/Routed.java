package dev.meridian.core.route;

import dev.meridian.core.error.GatewayException;

/**
 * The outcome of a routed call: the provider's result or the error for the caller, always with the decision.
 *
 * @param result the successful result, or {@code null}
 * @param error the error for the caller, or {@code null} on success
 * @param decision how the request was routed
 */
public record Routed<T>(T result, GatewayException error, RoutingDecision decision) {

    public boolean succeeded() {
        return error == null;
    }
}
