package dev.meridian.server.observe;

import dev.meridian.server.config.ConfigException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's OpenTelemetry traces, configured as every OpenTelemetry SDK is: by the standard {@code OTEL_*}
 * environment variables or {@code otel.*} system properties (exporter, OTLP endpoint and headers, sampler,
 * resource attributes), so an operator's existing trace pipeline needs no Meridian-specific settings. Off, with
 * no SDK built and nothing on the request path, unless an exporter or an OTLP endpoint is named: an unconfigured
 * gateway does not send spans to a default address. Meridian's defaults: service name {@code meridian}, OTLP over
 * HTTP with protobuf, no OpenTelemetry metrics or logs (metrics are Prometheus's, on {@code /metrics}).
 */
public final class Tracing implements AutoCloseable {
    private static final String EXPORTER = "otel.traces.exporter";
    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "meridian",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        OpenTelemetry api = sdk == null ? OpenTelemetry.noop() : sdk;
        this.tracer = api.getTracer("dev.meridian.gateway");
        this.propagator = api.getPropagators().getTextMapPropagator();
    }

    /** No tracing. */
    public static Tracing off() {
        return new Tracing(null);
    }

    /** Tracing as the process's environment variables and system properties configure it (off if they do not). */
    public static Tracing fromEnvironment() {
        return configured(Map.of(), key -> {
            String property = System.getProperty(key);
            return property != null
                    ? property
                    : System.getenv(
                            key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        });
    }

    /**
     * Tracing configured by {@code properties} ({@code otel.*} names) on top of the environment, as an embedding
     * application or a test sets it; the properties win.
     */
    public static Tracing fromProperties(Map<String, String> properties) {
        return configured(properties, properties::get);
    }

    private static Tracing configured(Map<String, String> overrides, Function<String, String> lookup) {
        String exporter = lookup.apply(EXPORTER);
        boolean named =
                exporter != null && !exporter.isBlank() && !exporter.trim().equals("none");
        boolean endpoint = lookup.apply("otel.exporter.otlp.endpoint") != null
                || lookup.apply("otel.exporter.otlp.traces.endpoint") != null;
        if (!(named || (exporter == null && endpoint)) || "true".equals(lookup.apply("otel.sdk.disabled"))) {
            return off();
        }
        for (String key : new String[] {"otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol"}) {
            if ("grpc".equals(lookup.apply(key))) {
                throw new ConfigException("tracing: " + key + "=grpc is not supported; Meridian exports OTLP over HTTP"
                        + " (http/protobuf, a collector's port 4318)");
            }
        }
        try {
            return new Tracing(AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> DEFAULTS)
                    .addPropertiesCustomizer(config -> overrides)
                    .disableShutdownHook() // the gateway flushes its spans when it stops, after the last request
                    .build()
                    .getOpenTelemetrySdk());
        } catch (ConfigurationException e) {
            throw new ConfigException("tracing (OTEL_* settings): " + reason(e));
        }
    }

    /** The SDK's message, and its cause's where the SDK only says that something failed. */
    private static String reason(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !out.toString().contains(c.getMessage())) {
                out.append(": ").append(c.getMessage());
            }
        }
        return out.toString();
    }

    /** Whether spans are recorded and exported. */
    public boolean enabled() {
        return sdk != null;
    }

    Tracer tracer() {
        return tracer;
    }

    TextMapPropagator propagator() {
        return propagator;
    }

    /** Exports the spans still buffered, waiting up to 10 s for the collector. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
