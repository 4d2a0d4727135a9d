package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.server.surface.bedrock.BedrockRuntimeService;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Converse through the real AWS SDK for Java v2, checking where each request was processed. */
class ConverseIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static final Set<String> EU_MEMBERS =
            Set.of("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2");

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @AfterEach
    void restoreRegions() {
        gateway.server().wiring().catalog().regionIds().forEach(r -> {
            gateway.server().wiring().simulator().setDown(r, false);
            gateway.server().wiring().simulator().setCapacity(r, null);
        });
    }

    static ConverseResponse converse(String sourceRegion, String modelId) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), sourceRegion)) {
            return client.converse(b -> b.modelId(modelId)
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("Where is my data processed?"))
                            .build()));
        }
    }

    /** Where the call answered by {@code response} was processed, as the gateway's header names it. */
    static String regionOf(software.amazon.awssdk.core.SdkResponse response) {
        return response.sdkHttpResponse()
                .firstMatchingHeader(BedrockRuntimeService.INFERENCE_REGION_HEADER)
                .orElseThrow();
    }

    @Test
    void converse_euProfileFromMilan_answersFromAnEuMemberRegion() {
        ConverseResponse response = converse("eu-south-1", "eu." + NOVA);

        assertThat(regionOf(response)).isIn(EU_MEMBERS);
        assertThat(response.output().message().content().get(0).text()).isNotBlank();
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.usage().inputTokens()).isPositive();
        assertThat(response.usage().totalTokens())
                .isEqualTo(response.usage().inputTokens() + response.usage().outputTokens());
        assertThat(response.metrics().latencyMs()).isNotNull();
        assertThat(response.responseMetadata().requestId()).isNotBlank();
    }

    @Test
    void converse_euProfileFromLondon_staysInEuOrLondon() {
        for (int i = 0; i < 10; i++) {
            assertThat(regionOf(converse("eu-west-2", "eu." + NOVA))).isIn(union(EU_MEMBERS, "eu-west-2"));
        }
    }

    @Test
    void converse_euProfileFromZurich_staysInEuOrZurich() {
        for (int i = 0; i < 10; i++) {
            assertThat(regionOf(converse("eu-central-2", "eu." + NOVA))).isIn(union(EU_MEMBERS, "eu-central-2"));
        }
    }

    @Test
    void converse_euProfileFromVirginia_staysInEuOrSource() {
        for (int i = 0; i < 10; i++) {
            assertThat(regionOf(converse("us-east-1", "eu." + NOVA))).isIn(union(EU_MEMBERS, "us-east-1"));
        }
    }

    @Test
    void converse_globalProfile_answers() {
        assertThat(regionOf(converse("ap-northeast-1", "global." + NOVA))).isNotBlank();
    }

    @Test
    void converse_plainModelId_staysInSourceRegion() {
        assertThat(regionOf(converse("eu-west-3", NOVA))).isEqualTo("eu-west-3");
    }

    @Test
    void converse_profileArn_resolvesLikeTheId() {
        String arn = "arn:aws:bedrock:eu-south-1:111122223333:inference-profile/eu." + NOVA;
        assertThat(regionOf(converse("eu-south-1", arn))).isIn(EU_MEMBERS);
    }

    @Test
    void converse_nearestRegionDown_failsOverInsideEu() {
        var sim = gateway.server().wiring().simulator();
        sim.setDown("eu-south-1", true);
        sim.setDown("eu-central-1", true);

        for (int i = 0; i < 10; i++) {
            assertThat(regionOf(converse("eu-south-1", "eu." + NOVA)))
                    .isIn(EU_MEMBERS)
                    .isNotIn("eu-south-1", "eu-central-1");
        }
    }

    @Test
    void converse_regionsThrottled_failsOverInsideEu() {
        var sim = gateway.server().wiring().simulator();
        sim.setCapacity("eu-south-1", 0);
        sim.setCapacity("eu-central-1", 0);
        sim.setCapacity("eu-west-3", 0);

        assertThat(regionOf(converse("eu-south-1", "eu." + NOVA))).isIn("eu-west-1", "eu-north-1", "eu-south-2");
    }

    @Test
    void converse_everyAllowedRegionDown_isServiceUnavailableListingEachTry() {
        EU_MEMBERS.forEach(r -> gateway.server().wiring().simulator().setDown(r, true));
        long londonBefore = gateway.server().wiring().simulator().processedIn("eu-west-2");

        assertThatThrownBy(() -> converse("eu-south-1", "eu." + NOVA))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("(down: connection refused")
                .hasMessageContaining("eu-south-1")
                .hasMessageContaining("eu-central-1")
                .hasMessageContaining("eu-north-1")
                .satisfies(e -> assertThat(((ServiceUnavailableException) e).statusCode())
                        .isEqualTo(503));
        // London and Zurich were up, and still nothing was routed there.
        assertThat(gateway.server().wiring().simulator().processedIn("eu-west-2"))
                .isEqualTo(londonBefore);
    }

    @Test
    void converse_plainModelNotServedInSource_namesProfilesThatServeIt() {
        assertThatThrownBy(() -> converse("eu-central-1", "meta.llama3-3-70b-instruct-v1:0"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("global.meta.llama3-3-70b-instruct-v1:0");
    }

    @Test
    void converse_profileNotOfferedInSource_isValidationException() {
        assertThatThrownBy(() -> converse("eu-central-1", "us." + NOVA))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("eu." + NOVA);
    }

    /** The catalog's output limit is enforced before routing, with the SDK's own ValidationException. */
    @Test
    void converse_maxTokensAboveTheModelsLimit_isValidationException() {
        long processedBefore = EU_MEMBERS.stream()
                .mapToLong(r -> gateway.server().wiring().simulator().processedIn(r))
                .sum();
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-south-1")) {
            assertThatThrownBy(() -> client.converse(b -> b.modelId("eu." + NOVA)
                            .inferenceConfig(c -> c.maxTokens(65_537))
                            .messages(Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromText("Write a long answer."))
                                    .build())))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The maximum tokens you requested (65537) exceeds the limit of " + NOVA
                                        + ", 65536 output tokens. Try again with a maximum tokens value of at most"
                                        + " 65536.");
                    });
            ConverseResponse atTheLimit = client.converse(b -> b.modelId("eu." + NOVA)
                    .inferenceConfig(c -> c.maxTokens(65_536))
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("hi"))
                            .build()));
            assertThat(regionOf(atTheLimit)).isIn(EU_MEMBERS);
        }
        long processedAfter = EU_MEMBERS.stream()
                .mapToLong(r -> gateway.server().wiring().simulator().processedIn(r))
                .sum();
        assertThat(processedAfter - processedBefore)
                .as("only the request within the limit reached a region")
                .isOne();
    }

    /**
     * Converse takes up to 2,500 stop sequences (OpenAI takes 4; the gateway refused a fifth on both surfaces), and
     * generation ends at the one it produces first.
     */
    @Test
    void converse_manyStopSequences_areTaken_upToBedrocksLimit() {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-south-1")) {
            String full = converse("eu-south-1", "eu." + NOVA)
                    .output()
                    .message()
                    .content()
                    .get(0)
                    .text();
            List<String> stops = new java.util.ArrayList<>();
            for (int i = 0; i < 2_499; i++) {
                stops.add("never-" + i);
            }
            stops.add(full.substring(6, 10)); // the 2,500th, which the answer holds
            ConverseResponse cut = client.converse(b -> b.modelId("eu." + NOVA)
                    .inferenceConfig(c -> c.stopSequences(stops))
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("Where is my data processed?"))
                            .build()));
            assertThat(cut.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
            assertThat(cut.output().message().content().get(0).text())
                    .isEqualTo(full.substring(0, full.indexOf(full.substring(6, 10))));
            stops.add("one too many");
            assertThatThrownBy(() -> client.converse(b -> b.modelId("eu." + NOVA)
                            .inferenceConfig(c -> c.stopSequences(stops))
                            .messages(Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromText("hi"))
                                    .build())))
                    .isInstanceOfSatisfying(
                            ValidationException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage())
                                    .endsWith(
                                            "at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must"
                                                    + " have length less than or equal to 2500"));
        }
    }

    @Test
    void converse_unknownModel_isResourceNotFound() {
        assertThatThrownBy(() -> converse("eu-central-1", "amazon.no-such-model-v1:0"))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    static Set<String> union(Set<String> set, String extra) {
        var out = new java.util.HashSet<>(set);
        out.add(extra);
        return out;
    }
}
