package dev.meridian.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.server.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When tracing turns on: only when an exporter or an OTLP endpoint is named, never by default. */
class TracingTest {
    private static final String ENDPOINT = "http://127.0.0.1:1/v1/traces";

    @Test
    void isOff_unlessAnExporterOrAnEndpointIsNamed() {
        assertThat(Tracing.fromProperties(Map.of()).enabled()).isFalse();
        assertThat(Tracing.off().enabled()).isFalse();
        assertThat(Tracing.fromProperties(Map.of("otel.service.name", "gw")).enabled())
                .isFalse();
    }

    @Test
    void isOff_whenTheExporterIsNone_orTheSdkDisabled() {
        assertThat(Tracing.fromProperties(
                                Map.of("otel.traces.exporter", "none", "otel.exporter.otlp.endpoint", ENDPOINT))
                        .enabled())
                .isFalse();
        assertThat(Tracing.fromProperties(Map.of("otel.exporter.otlp.endpoint", ENDPOINT, "otel.sdk.disabled", "true"))
                        .enabled())
                .isFalse();
    }

    @Test
    void isOn_withAnOtlpEndpoint_orANamedExporter() {
        try (Tracing byEndpoint = Tracing.fromProperties(Map.of("otel.exporter.otlp.traces.endpoint", ENDPOINT));
                Tracing byExporter = Tracing.fromProperties(
                        Map.of("otel.traces.exporter", "otlp", "otel.exporter.otlp.endpoint", "http://127.0.0.1:1"))) {
            assertThat(byEndpoint.enabled()).isTrue();
            assertThat(byExporter.enabled()).isTrue();
        }
    }

    @Test
    void aSettingTheSdkRefuses_isAConfigurationError_namingIt() {
        assertThatThrownBy(() -> Tracing.fromProperties(Map.of("otel.traces.exporter", "zipkin")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracing")
                .hasMessageContaining("zipkin");
        assertThatThrownBy(() -> Tracing.fromProperties(
                        Map.of("otel.exporter.otlp.endpoint", ENDPOINT, "otel.exporter.otlp.protocol", "grpc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otel.exporter.otlp.protocol=grpc")
                .hasMessageContaining("http/protobuf");
    }
}
