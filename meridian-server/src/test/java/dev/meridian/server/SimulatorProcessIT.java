package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.JavaProcess;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.simserver.SimulatorHttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible provider against a model server in another process: a simulated eu-west-1 started as
 * its own JVM. While it runs, the EU profile is served there; once it is killed, requests fail over to the
 * embedded regions (connection refused is classified as a down region).
 */
class SimulatorProcessIT {
    /** What {@link SimulatorHttpServer#main} prints once it accepts connections. */
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\d+)");

    @Test
    void upstreamInAnotherProcess_servesThenFailsOverWhenKilled() throws Exception {
        Process upstream = JavaProcess.of(SimulatorHttpServer.class, "eu-west-1", "0", "nova-lite", "0.01")
                .redirectErrorStream(true)
                .start();
        try {
            int port = Integer.parseInt(JavaProcess.awaitAnnouncement(upstream, LISTENING));
            assertThat(port).as("the upstream process announced its port").isPositive();
            MeridianConfig config = TestGateways.config("routing: {maxAttempts: 10}\n")
                    .withUpstreams(List.of(MeridianConfig.Upstream.openAi(
                            "eu-west-1",
                            "amazon.nova-2-lite-v1:0",
                            URI.create("http://127.0.0.1:" + port + "/v1"),
                            "nova-lite",
                            null)));
            try (MeridianServer gateway = MeridianServer.start(config)) {
                for (String r : List.of("eu-central-1", "eu-south-1", "eu-south-2", "eu-west-3", "eu-north-1")) {
                    gateway.wiring().simulator().setDown(r, true);
                }
                var served = TestGateways.converseEu(gateway, "eu-south-1", "to the other process");
                assertThat(served.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                        .hasValue("eu-west-1");
                assertThat(gateway.wiring().simulator().processedIn("eu-west-1"))
                        .isZero();

                upstream.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                gateway.wiring().simulator().setDown("eu-west-3", false);
                var failedOver = TestGateways.converseEu(gateway, "eu-south-1", "after the kill");
                assertThat(failedOver.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                        .hasValue("eu-west-3");
            }
        } finally {
            upstream.destroyForcibly();
        }
    }
}
