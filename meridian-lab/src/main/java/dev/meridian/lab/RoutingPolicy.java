package dev.meridian.lab;

import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.route.RouteRequest;
import dev.meridian.core.route.RoutingPlan;

/**
 * How one compared policy orders the allowed destinations of a request. Every policy's plan is walked by the
 * same production {@link dev.meridian.core.route.FailoverInvoker} under the same retry budget, so policies differ
 * only in where they try first and next.
 */
interface RoutingPolicy {
    RoutingPlan plan(AllowedDestinations allowed, RouteRequest request);
}
