package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * CountTokens through the real AWS SDK for Java v2: the count is the input tokens the same request is charged when
 * invoked, and it is made, like an invocation, only in a region the model id allows from the caller's source region.
 */
class CountTokensIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static final List<Message> QUESTION = List.of(Message.builder()
            .role(ConversationRole.USER)
            .content(ContentBlock.fromText("How many tokens does this question take, and where is it counted?"))
            .build());
    static final SystemContentBlock SYSTEM = SystemContentBlock.fromText("Answer in one sentence.");

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @AfterEach
    void restoreRegions() {
        gateway.server()
                .wiring()
                .catalog()
                .regionIds()
                .forEach(r -> gateway.server().wiring().simulator().setDown(r, false));
    }

    static CountTokensResponse count(String sourceRegion, String modelId) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), sourceRegion)) {
            return client.countTokens(b -> b.modelId(modelId)
                    .input(i -> i.converse(c -> c.messages(QUESTION).system(SYSTEM))));
        }
    }

    static int invokedInputTokens(String sourceRegion, String modelId) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), sourceRegion)) {
            return client.converse(b -> b.modelId(modelId).messages(QUESTION).system(SYSTEM))
                    .usage()
                    .inputTokens();
        }
    }

    @Test
    void countTokens_converseInput_isWhatConverseChargesForTheSameInput_countedInTheSourceRegion() {
        CountTokensResponse counted = count("eu-west-3", NOVA);

        assertThat(counted.inputTokens()).isPositive().isEqualTo(invokedInputTokens("eu-west-3", NOVA));
        assertThat(ConverseIT.regionOf(counted)).isEqualTo("eu-west-3");
        assertThat(counted.responseMetadata().requestId()).isNotBlank();
    }

    @Test
    void countTokens_euProfileFromLondon_isCountedInTheEuOrLondon() {
        for (int i = 0; i < 5; i++) {
            assertThat(ConverseIT.regionOf(count("eu-west-2", "eu." + NOVA)))
                    .isIn(ConverseIT.union(ConverseIT.EU_MEMBERS, "eu-west-2"));
        }
    }

    @Test
    void countTokens_nearestRegionsDown_failsOverInsideTheAllowedSet() {
        var sim = gateway.server().wiring().simulator();
        sim.setDown("eu-south-1", true);
        sim.setDown("eu-central-1", true);

        for (int i = 0; i < 5; i++) {
            assertThat(ConverseIT.regionOf(count("eu-south-1", "eu." + NOVA)))
                    .isIn(ConverseIT.EU_MEMBERS)
                    .isNotIn("eu-south-1", "eu-central-1");
        }
        // A foundation model id is counted where it is invoked, in the source region only: never elsewhere.
        assertThatThrownBy(() -> count("eu-south-1", NOVA)).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void countTokens_invokeModelInput_countsTheModelsNativeBody() {
        String body = InvokeModelIT.CLAUDE_BODY;
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            CountTokensResponse counted = client.countTokens(b -> b.modelId(InvokeModelIT.EU_CLAUDE)
                    .input(i -> i.invokeModel(m -> m.body(SdkBytes.fromUtf8String(body)))));
            String charged = client.invokeModel(b -> b.modelId(InvokeModelIT.EU_CLAUDE)
                            .contentType("application/json")
                            .body(SdkBytes.fromUtf8String(body)))
                    .sdkHttpResponse()
                    .firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count")
                    .orElseThrow();

            assertThat(counted.inputTokens()).isPositive().isEqualTo(Integer.parseInt(charged));
            assertThat(ConverseIT.regionOf(counted)).isIn(ConverseIT.EU_MEMBERS);
        }
    }

    @Test
    void countTokens_invokeModelBodyNotOfTheModelsFormat_isValidationException() {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-1")) {
            assertThatThrownBy(() -> client.countTokens(b -> b.modelId(InvokeModelIT.EU_CLAUDE)
                            .input(i -> i.invokeModel(m -> m.body(SdkBytes.fromUtf8String(InvokeModelIT.NOVA_BODY))))))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
