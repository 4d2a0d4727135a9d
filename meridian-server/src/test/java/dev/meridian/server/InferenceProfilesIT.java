package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.ListInferenceProfilesResponse;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/** ListInferenceProfiles and GetInferenceProfile through the real AWS SDK for Java v2 BedrockClient. */
class InferenceProfilesIT {
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static List<String> destinations(List<InferenceProfileModel> models) {
        return models.stream().map(m -> m.modelArn().split(":")[3]).sorted().toList();
    }

    @Test
    void getInferenceProfile_euFromMilan_listsEuMemberDestinationsOnly() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-south-1")) {
            GetInferenceProfileResponse p = client.getInferenceProfile(b -> b.inferenceProfileIdentifier(EU_NOVA));

            assertThat(p.inferenceProfileId()).isEqualTo(EU_NOVA);
            assertThat(p.type()).isEqualTo(InferenceProfileType.SYSTEM_DEFINED);
            assertThat(p.inferenceProfileArn())
                    .isEqualTo("arn:aws:bedrock:eu-south-1:111122223333:inference-profile/" + EU_NOVA);
            assertThat(p.createdAt()).isNotNull();
            assertThat(destinations(p.models()))
                    .containsExactly(
                            "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3");
            assertThat(p.models().get(0).modelArn())
                    .startsWith("arn:aws:bedrock:eu-")
                    .endsWith("::foundation-model/amazon.nova-2-lite-v1:0");
        }
    }

    @Test
    void getInferenceProfile_euFromLondon_addsLondonOnly() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-west-2")) {
            GetInferenceProfileResponse p = client.getInferenceProfile(b -> b.inferenceProfileIdentifier(EU_NOVA));
            assertThat(destinations(p.models()))
                    .contains("eu-west-2")
                    .doesNotContain("eu-central-2")
                    .hasSize(7);
        }
    }

    @Test
    void getInferenceProfile_byArn_isFound() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-2")) {
            GetInferenceProfileResponse p = client.getInferenceProfile(b -> b.inferenceProfileIdentifier(
                    "arn:aws:bedrock:eu-central-2:111122223333:inference-profile/" + EU_NOVA));
            assertThat(destinations(p.models())).contains("eu-central-2").doesNotContain("eu-west-2");
        }
    }

    @Test
    void getInferenceProfile_notOfferedInSource_isNotFound() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-1")) {
            assertThatThrownBy(() ->
                            client.getInferenceProfile(b -> b.inferenceProfileIdentifier("us.amazon.nova-2-lite-v1:0")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void listInferenceProfiles_fromFrankfurt_offersOnlyWhatIsInvocableThere() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "eu-central-1")) {
            List<InferenceProfileSummary> all = client.listInferenceProfiles(
                            b -> b.typeEquals(InferenceProfileType.SYSTEM_DEFINED))
                    .inferenceProfileSummaries();

            assertThat(all)
                    .extracting(InferenceProfileSummary::inferenceProfileId)
                    .contains(EU_NOVA, "global.amazon.nova-2-lite-v1:0")
                    .noneMatch(id -> id.startsWith("us.") || id.startsWith("apac."));
            assertThat(all).allSatisfy(s -> assertThat(s.models()).isNotEmpty());
        }
    }

    @Test
    void listInferenceProfiles_paginates_withoutLossOrRepeat() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "us-east-1")) {
            List<String> unpaged =
                    client.listInferenceProfiles(b -> b.maxResults(1000)).inferenceProfileSummaries().stream()
                            .map(InferenceProfileSummary::inferenceProfileId)
                            .toList();
            List<String> paged = new ArrayList<>();
            String token = null;
            do {
                String next = token;
                ListInferenceProfilesResponse page =
                        client.listInferenceProfiles(b -> b.maxResults(3).nextToken(next));
                assertThat(page.inferenceProfileSummaries()).hasSizeLessThanOrEqualTo(3);
                page.inferenceProfileSummaries().forEach(s -> paged.add(s.inferenceProfileId()));
                token = page.nextToken();
            } while (token != null);

            assertThat(paged).containsExactlyElementsOf(unpaged).hasSizeGreaterThan(3);
        }
    }

    @Test
    void listInferenceProfiles_badMaxResults_isValidationException() {
        try (BedrockClient client = TestGateways.control(gateway.server(), "us-east-1")) {
            assertThatThrownBy(() -> client.listInferenceProfiles(b -> b.nextToken("garbage!")))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
