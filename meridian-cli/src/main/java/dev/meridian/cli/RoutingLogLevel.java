package dev.meridian.cli;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * The level of the per-invocation routing line ({@code surface.RoutingLog}) from {@code MERIDIAN_ROUTING_LOG}:
 * WARN (off) when the variable is unset or blank. Logback's {@code ${VAR:-default}} takes a blank value as given,
 * and a blank level means "inherit", which would turn the line on.
 */
public final class RoutingLogLevel extends PropertyDefinerBase {
    static final String VARIABLE = "MERIDIAN_ROUTING_LOG";

    @Override
    public String getPropertyValue() {
        return of(System.getenv(VARIABLE));
    }

    static String of(String value) {
        return value == null || value.isBlank() ? "WARN" : value.strip();
    }
}
