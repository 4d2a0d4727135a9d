package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * A Bedrock upstream configured for every model of its region ({@code model: "*"}, as in the documented examples:
 * Amazon Bedrock in a region, or a peer gateway): each call invokes there the foundation model it was routed for,
 * not a model named "*". A second Meridian stands in for Bedrock in eu-central-1.
 */
class BedrockAnyModelUpstreamIT {
    static MeridianServer peer;
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        peer = TestGateways.start();
        gateway = MeridianServer.start(
                TestGateways.config("").withUpstreams(List.of(TestGateways.peerUpstream(peer, "eu-central-1", "*"))));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        peer.close();
    }

    @Test
    void everyModelOfTheRegion_isInvokedByItsOwnIdAtTheUpstream() {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-central-1")) {
            for (String model : List.of(
                    "amazon.nova-2-lite-v1:0", "amazon.nova-pro-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0")) {
                long before = peer.wiring().simulator().processedIn("eu-central-1");
                ConverseResponse r = client.converse(b -> b.modelId(model).messages(ToolUseIT.user("hello " + model)));
                assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                        .hasValue("eu-central-1");
                assertThat(r.output().message().content().get(0).text()).isNotBlank();
                assertThat(peer.wiring().simulator().processedIn("eu-central-1"))
                        .as("processed by the upstream standing for Bedrock, not the gateway's own simulator")
                        .isEqualTo(before + 1);
            }
        }
    }
}
