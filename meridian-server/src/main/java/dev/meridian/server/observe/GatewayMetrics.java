package dev.meridian.server.observe;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.ResidencyGuard;
import dev.meridian.core.route.AttemptRecord;
import dev.meridian.core.route.RoutingDecision;
import dev.meridian.server.audit.AuditTrail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * Prometheus metrics of the request path (Micrometer): invocations by source region, processing region and
 * outcome with a latency histogram, attempts by destination and result (failover), and the count of refused
 * out-of-set dispatches, which must stay 0. Served on {@code /metrics}.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public GatewayMetrics() {
        Gauge.builder("meridian.residency.violations.refused", ResidencyGuard::violationsRefused)
                .description("Dispatches outside the allowed destination set that the residency guard refused")
                .register(registry);
    }

    /** Records one routed invocation. */
    public void record(String operation, RoutingDecision decision, GatewayException error, long latencyMs) {
        String outcome = error == null ? "ok" : error.kind().name().toLowerCase(Locale.ROOT);
        String region = decision.chosenRegion() == null ? "none" : decision.chosenRegion();
        Counter.builder("meridian.invocations")
                .description("Invocations by source region, processing region and outcome")
                .tag("operation", operation)
                .tag("source_region", decision.allowed().sourceRegion())
                .tag("inference_region", region)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("meridian.invocation.latency")
                .description("Time from routing to the answer (whole) or to the first event (streams)")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)
                .record(Duration.ofMillis(latencyMs));
        for (AttemptRecord a : decision.attempts()) {
            Counter.builder("meridian.attempts")
                    .description("Attempts at destinations; failures make the router fail over")
                    .tag("region", a.region())
                    .tag(
                            "result",
                            a.failure() == null ? "ok" : a.failure().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }

    /**
     * Records one refused authentication by its kind (unknown key, bad signature, missing credentials...): a rise
     * is what a brute-force attempt or a leaked-and-revoked key looks like, worth an alert, and the WARN log line
     * alone cannot be alerted on without parsing logs.
     */
    public void authenticationFailed(ErrorKind kind) {
        Counter.builder("meridian.authentication.failures")
                .description("Requests refused at authentication, by reason")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /**
     * The registry, for the HTTP server's own meters ({@code armeria_server_connections}: open client connections,
     * to watch against {@code server.maxConnections}; requests pending and active by protocol).
     */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        if (audit != null) {
            audit.regions().forEach(this::bindAudit);
        }
        return registry.scrape();
    }

    private AuditTrail audit;

    /** Exposes the audit trails' commit counters and store health (per source region) on {@code /metrics}. */
    public void watch(AuditTrail trail) {
        this.audit = trail;
    }

    private void bindAudit(String region) {
        var trail = audit;
        FunctionCounter.builder(
                        "meridian.audit.events", trail, t -> t.health(region).events())
                .description("Audit events committed (durable) in the source region's trail")
                .tag("source_region", region)
                .register(registry);
        FunctionCounter.builder(
                        "meridian.audit.commits", trail, t -> t.health(region).commits())
                .description("Audit store transactions (group commits)")
                .tag("source_region", region)
                .register(registry);
        FunctionCounter.builder(
                        "meridian.audit.commit.failures",
                        trail,
                        t -> t.health(region).failures())
                .description("Failed audit commits: their answers were withheld")
                .tag("source_region", region)
                .register(registry);
        Gauge.builder("meridian.audit.backlog", trail, t -> t.health(region).backlog())
                .description("Audit events durable in the embedded store's journal, not yet in its SQLite file;"
                        + " growing while the file cannot take them, until invocations are refused")
                .tag("source_region", region)
                .register(registry);
        Gauge.builder("meridian.audit.store.up", trail, t -> t.health(region).up() ? 1 : 0)
                .description("1 while the source region's audit store accepts writes; 0 = invocations refused")
                .tag("source_region", region)
                .register(registry);
    }
}
