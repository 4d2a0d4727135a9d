package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceType;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.Tag;

/** ListFoundationModels, GetFoundationModel and tagging through the real BedrockClient. */
class ControlPlaneIT {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @Test
    void listFoundationModels_fromFrankfurt_marksProfileOnlyModels() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-1")) {
            var models = client.listFoundationModels(b -> {}).modelSummaries();
            FoundationModelSummary nova = models.stream()
                    .filter(m -> m.modelId().equals("amazon.nova-2-lite-v1:0"))
                    .findFirst()
                    .orElseThrow();
            assertThat(nova.inferenceTypesSupported()).contains(InferenceType.ON_DEMAND);
            assertThat(nova.modelArn())
                    .isEqualTo("arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-2-lite-v1:0");
            FoundationModelSummary llama = models.stream()
                    .filter(m -> m.modelId().startsWith("meta."))
                    .findFirst()
                    .orElseThrow();
            assertThat(llama.inferenceTypesSupportedAsStrings()).containsExactly("INFERENCE_PROFILE");

            assertThat(client.listFoundationModels(b -> b.byProvider("Anthropic"))
                            .modelSummaries())
                    .isNotEmpty()
                    .allMatch(m -> m.providerName().equals("Anthropic"));
            assertThat(client.listFoundationModels(b -> b.byInferenceType(InferenceType.ON_DEMAND))
                            .modelSummaries())
                    .noneMatch(m -> m.modelId().startsWith("meta."));
        }
    }

    @Test
    void getFoundationModel_knownAndUnknown() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-1")) {
            assertThat(client.getFoundationModel(b -> b.modelIdentifier("amazon.nova-2-lite-v1:0"))
                            .modelDetails()
                            .modelName())
                    .isEqualTo("Nova 2 Lite");
            assertThatThrownBy(() -> client.getFoundationModel(b -> b.modelIdentifier("amazon.none-v1:0")))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> client.getFoundationModel(b -> b.modelIdentifier("m".repeat(10_000))))
                    .as("a URI too long for the server")
                    .isInstanceOfSatisfying(
                            software.amazon.awssdk.services.bedrock.model.ValidationException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(414))
                    .hasMessageContaining("Too Long URI");
        }
    }

    @Test
    void tags_addListRemove() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-1")) {
            String arn = client.createInferenceProfile(
                            b -> b.inferenceProfileName("tagged")
                                    .modelSource(
                                            s -> s.copyFrom(
                                                    "arn:aws:bedrock:eu-central-1:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0")))
                    .inferenceProfileArn();
            client.tagResource(b -> b.resourceARN(arn)
                    .tags(Tag.builder().key("cost-center").value("42").build()));
            assertThat(client.listTagsForResource(b -> b.resourceARN(arn)).tags())
                    .extracting(Tag::key, Tag::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("cost-center", "42"));
            client.untagResource(b -> b.resourceARN(arn).tagKeys("cost-center"));
            assertThat(client.listTagsForResource(b -> b.resourceARN(arn)).tags())
                    .isEmpty();
        }
    }
}
