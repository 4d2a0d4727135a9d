package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Prometheus endpoint counts invocations by source and processing region and shows zero refused violations. */
class MetricsIT {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @Test
    void metrics_countInvocationsByRegionAndShowNoResidencyViolations() {
        var answer = TestGateways.converseEu(gateway.server(), "eu-west-2", "count me");
        String region = answer.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();

        String metrics = WebClient.of(gateway.server().endpoint())
                .get("/metrics")
                .aggregate()
                .join()
                .contentUtf8();

        assertThat(metrics)
                .containsPattern("meridian_invocations_total\\{[^}]*inference_region=\"" + region
                        + "\"[^}]*outcome=\"ok\"" + "[^}]*source_region=\"eu-west-2\"[^}]*} 1\\.0")
                .contains("meridian_invocation_latency_seconds_bucket")
                .containsPattern("meridian_attempts_total\\{region=\"" + region + "\",result=\"ok\"} 1\\.0")
                .contains("meridian_residency_violations_refused 0.0")
                .as("the HTTP server's open connections, to watch against server.maxConnections")
                .containsPattern("armeria_server_connections\\{[^}]*} [1-9]");
    }

    /** Refused authentications are counted by reason, so a burst of them can be alerted on. */
    @Test
    void metrics_countRefusedAuthenticationsByKind() {
        WebClient client = WebClient.of(gateway.server().endpoint());
        for (int i = 0; i < 3; i++) {
            assertThat(client.prepare()
                            .get("/v1/models")
                            .header("authorization", "Bearer not-a-key")
                            .execute()
                            .aggregate()
                            .join()
                            .status()
                            .code())
                    .isEqualTo(401);
        }
        String metrics = client.get("/metrics").aggregate().join().contentUtf8();
        assertThat(metrics)
                .containsPattern("meridian_authentication_failures_total\\{kind=\"unrecognized_client\"} 3\\.0");
    }
}
