package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ConflictException;
import software.amazon.awssdk.services.bedrock.model.CreateInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.GetInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.ValidationException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Application inference profiles through the real BedrockClient, persisted across restarts; run on the embedded
 * store ({@link ApplicationProfilesIT}) and on PostgreSQL ({@link PostgresApplicationProfilesIT}).
 */
abstract class ApplicationProfilesSuite {

    /** The {@code stores:} configuration under test ({@code ""} for the embedded default). */
    abstract String storesYaml();

    static final String EU_NOVA_ARN =
            "arn:aws:bedrock:eu-west-2:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0";

    static CreateInferenceProfileResponse create(BedrockClient client, String name, String token, String copyFrom) {
        return client.createInferenceProfile(b -> b.inferenceProfileName(name)
                .description("claims team")
                .clientRequestToken(token)
                .modelSource(s -> s.copyFrom(copyFrom))
                .tags(Tag.builder().key("team").value("claims").build()));
    }

    @Test
    void applicationProfile_lifecycle_createInvokeListDeleteAndSurviveRestart() {
        Path data = TestGateways.freshDirectory();
        String arn;
        try (MeridianServer server =
                        MeridianServer.start(TestGateways.config(storesYaml()).withDataDirectory(data));
                BedrockClient client = TestGateways.control(server, "eu-west-2")) {
            CreateInferenceProfileResponse created = create(client, "claims-eu", "token-1", EU_NOVA_ARN);
            arn = created.inferenceProfileArn();
            assertThat(arn)
                    .matches("arn:aws:bedrock:eu-west-2:111122223333:application-inference-profile/[a-z0-9]{12}");

            // idempotent retry: same token, same parameters, same profile
            assertThat(create(client, "claims-eu", "token-1", EU_NOVA_ARN).inferenceProfileArn())
                    .isEqualTo(arn);
            assertThatThrownBy(() -> create(client, "claims-other", "token-1", EU_NOVA_ARN))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> create(client, "claims-eu", "token-2", EU_NOVA_ARN))
                    .isInstanceOf(ConflictException.class);

            GetInferenceProfileResponse got = client.getInferenceProfile(b -> b.inferenceProfileIdentifier(arn));
            assertThat(got.type()).isEqualTo(InferenceProfileType.APPLICATION);
            assertThat(got.inferenceProfileName()).isEqualTo("claims-eu");
            assertThat(got.models())
                    .extracting(m -> m.modelArn().split(":")[3])
                    .contains("eu-west-2")
                    .doesNotContain("eu-central-2", "us-east-1");

            assertThat(client.listInferenceProfiles(b -> b.typeEquals(InferenceProfileType.APPLICATION))
                            .inferenceProfileSummaries())
                    .extracting(InferenceProfileSummary::inferenceProfileArn)
                    .containsExactly(arn);

            try (var runtime = TestGateways.runtime(server, "eu-west-2")) {
                var r = runtime.converse(b -> b.modelId(arn)
                        .messages(Message.builder()
                                .role(ConversationRole.USER)
                                .content(ContentBlock.fromText("via my application profile"))
                                .build()));
                assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                        .hasValueSatisfying(region -> assertThat(region)
                                .isIn(
                                        "eu-west-2",
                                        "eu-central-1",
                                        "eu-west-1",
                                        "eu-west-3",
                                        "eu-north-1",
                                        "eu-south-1",
                                        "eu-south-2"));
            }
        }
        try (MeridianServer server =
                        MeridianServer.start(TestGateways.config(storesYaml()).withDataDirectory(data));
                BedrockClient client = TestGateways.control(server, "eu-west-2")) {
            assertThat(client.getInferenceProfile(b -> b.inferenceProfileIdentifier(arn))
                            .inferenceProfileName())
                    .isEqualTo("claims-eu");
            client.deleteInferenceProfile(b -> b.inferenceProfileIdentifier(arn));
            assertThatThrownBy(() -> client.getInferenceProfile(b -> b.inferenceProfileIdentifier(arn)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void applicationProfile_copyingAFoundationModel_isSingleRegion() {
        try (MeridianServer server = TestGateways.start(storesYaml());
                BedrockClient client = TestGateways.control(server, "eu-south-1")) {
            String arn = create(
                            client,
                            "milan-only",
                            null,
                            "arn:aws:bedrock:eu-south-1::foundation-model/amazon.nova-2-lite-v1:0")
                    .inferenceProfileArn();
            var got = client.getInferenceProfile(b -> b.inferenceProfileIdentifier(arn));
            assertThat(got.models()).hasSize(1);
            assertThat(got.models().get(0).modelArn()).contains(":eu-south-1:");
        }
    }

    @Test
    void applicationProfile_badInput_isRefused() {
        try (MeridianServer server = TestGateways.start(storesYaml());
                BedrockClient client = TestGateways.control(server, "eu-central-1")) {
            assertThatThrownBy(() -> create(client, "x", null, "eu.amazon.nova-2-lite-v1:0"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("ARN");
            assertThatThrownBy(
                            () -> create(client, "bad name!", null, EU_NOVA_ARN.replace("eu-west-2", "eu-central-1")))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> create(
                            client,
                            "us-copy",
                            null,
                            "arn:aws:bedrock:eu-central-1:111122223333:inference-profile/us.amazon.nova-2-lite-v1:0"))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> client.deleteInferenceProfile(
                            b -> b.inferenceProfileIdentifier("eu.amazon.nova-2-lite-v1:0")))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
