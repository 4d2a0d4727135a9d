package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** Routing outcomes map to Bedrock's modeled exceptions, which the real SDK raises as its own classes. */
class ErrorModelIT {

    static void converse(MeridianServer server) {
        try (BedrockRuntimeClient client = TestGateways.runtime(server, "eu-central-1")) {
            client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("hi"))
                            .build()));
        }
    }

    @Test
    void everyAllowedRegionAtCapacity_isThrottlingException429() {
        try (MeridianServer server = TestGateways.start(
                "simulator: {timeScale: 0.01, defaults: {capacity: 0}}\n" + "routing: {maxAttempts: 10}\n")) {
            assertThatThrownBy(() -> converse(server))
                    .isInstanceOf(ThrottlingException.class)
                    .satisfies(e -> assertThat(((BedrockRuntimeException) e).statusCode())
                            .isEqualTo(429))
                    .hasMessageContaining("throttled");
        }
    }

    @Test
    void everyAttemptTimedOut_isModelTimeoutException408() {
        try (MeridianServer server = TestGateways.start("simulator: {timeScale: 1.0, defaults: {ttftMs: 5000}}\n"
                + "routing: {maxAttempts: 2, attemptTimeout: 200ms, totalTimeout: 2s}\n")) {
            assertThatThrownBy(() -> converse(server))
                    .isInstanceOf(ModelTimeoutException.class)
                    .satisfies(e -> assertThat(((BedrockRuntimeException) e).statusCode())
                            .isEqualTo(408))
                    .hasMessageContaining("timed out");
        }
    }
}
