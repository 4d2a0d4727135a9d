package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Token-aware admission end to end, with the real AWS SDK: Frankfurt's simulated server has a tokens-per-minute
 * quota, counted like Bedrock's (input plus {@code maxTokens} at admission). A request whose reservation cannot
 * fit is not sent there at all: the router counts Frankfurt as saturated for it and picks another EU region at
 * the first attempt, while small requests still go to Frankfurt.
 */
class TokenAwareAdmissionIT {
    static MeridianServer server;

    @BeforeAll
    static void start() {
        server = TestGateways.start("""
                simulator:
                  timeScale: 0.01
                  regions:
                    eu-central-1: {tokensPerMinute: 3000}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ConverseResponse converse(BedrockRuntimeClient client, String modelId, int maxTokens) {
        return client.converse(b -> b.modelId(modelId)
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText("Summarise the quarterly report."))
                        .build())
                .inferenceConfig(c -> c.maxTokens(maxTokens)));
    }

    static String region(ConverseResponse r) {
        return r.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();
    }

    @Test
    void reservationThatDoesNotFitTheQuota_goesElsewhereAtOnce_smallOneStaysInFrankfurt() {
        var simulator = server.wiring().simulator();
        try (BedrockRuntimeClient frankfurt = TestGateways.runtime(server, "eu-central-1")) {
            assertThat(region(converse(frankfurt, "eu.amazon.nova-2-lite-v1:0", 200)))
                    .isEqualTo("eu-central-1");

            long frankfurtBefore = simulator.processedIn("eu-central-1");
            ConverseResponse big = converse(frankfurt, "eu.amazon.nova-2-lite-v1:0", 4000);
            assertThat(region(big)).isNotEqualTo("eu-central-1").startsWith("eu-");
            assertThat(simulator.processedIn("eu-central-1")).isEqualTo(frankfurtBefore);
            assertThat(server.wiring().metrics().scrape())
                    .as("not tried in Frankfurt and throttled there first: the plan skipped it")
                    .doesNotContain("result=\"throttled\"");

            assertThatThrownBy(() -> converse(frankfurt, "amazon.nova-2-lite-v1:0", 4000))
                    .as("an in-region call has nowhere else to go: Frankfurt's quota refuses it, like Bedrock")
                    .isInstanceOf(ThrottlingException.class)
                    .hasMessageContaining("tokens per minute");
            assertThat(server.wiring().metrics().scrape())
                    .containsPattern("meridian_attempts_total\\{region=\"eu-central-1\",result=\"throttled\"} 1\\.0");
        }
    }
}
