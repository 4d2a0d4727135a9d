package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.server.config.ConfigException;
import dev.meridian.server.gateway.Explanation;
import dev.meridian.server.policy.PolicyDecision;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;

/**
 * Least privilege end to end: policies from the configuration, enforced on invocations (Bedrock's cross-Region
 * rule: the profile and the model in every destination) and on control-plane calls, refused or narrowed, shown
 * by explain, and recorded in the audit trail.
 */
class PolicyIT {
    static final String POLICIES = """
            policies:
              eu-invoke: |
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "EuProfilesAndModels", "Effect": "Allow",
                   "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                   "Resource": ["arn:aws:bedrock:*:*:inference-profile/eu.*", "arn:aws:bedrock:*::foundation-model/*"],
                   "Condition": {"StringLike": {"aws:RequestedRegion": "eu-*"}}}]}
              invoke-all: |
                {"Statement": {"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}}
              no-paris: |
                {"Statement": {"Sid": "NotInParis", "Effect": "Deny", "Action": "bedrock:Invoke*",
                               "Resource": "arn:aws:bedrock:eu-west-3::foundation-model/*"}}
              read-profiles: |
                {"Statement": {"Effect": "Allow", "Action": ["bedrock:ListInferenceProfiles", "bedrock:GetInferenceProfile"],
                               "Resource": "*"}}
              audit-reader: |
                {"Statement": {"Effect": "Allow", "Action": "cloudtrail:LookupEvents", "Resource": "*"}}
            """;
    static final String KEYS = """
              accessKeys:
                - {accessKeyId: AKIAEUAPP, secretAccessKey: eu-secret, principal: eu-app, policies: [eu-invoke]}
                - {accessKeyId: AKIANOPARIS, secretAccessKey: np-secret, principal: no-paris, policies: [invoke-all, no-paris]}
                - {accessKeyId: AKIAREADER, secretAccessKey: rd-secret, principal: reader, policies: [read-profiles]}
                - {accessKeyId: AKIAAUDITOR, secretAccessKey: au-secret, principal: auditor, policies: [audit-reader]}
                - {accessKeyId: AKIANOPOLICY, secretAccessKey: none-secret, principal: forgotten}
              apiKeys:
                - {key: openai-eu-key, principal: openai-eu-app, region: eu-west-3, policies: [invoke-all, no-paris]}
            """;
    static final String PROFILE = "eu.amazon.nova-2-lite-v1:0";

    static MeridianServer refusing;
    static MeridianServer narrowing;

    @BeforeAll
    static void start() {
        refusing = TestGateways.start(POLICIES + "auth:\n  policyMode: refuse\n" + KEYS);
        narrowing = TestGateways.start(POLICIES + "auth:\n  policyMode: narrow\n" + KEYS);
    }

    @AfterAll
    static void stop() {
        refusing.close();
        narrowing.close();
    }

    static <B extends AwsClientBuilder<B, ?>> B as(B builder, MeridianServer server, String region, String key) {
        String secret = switch (key) {
            case "AKIAEUAPP" -> "eu-secret";
            case "AKIANOPARIS" -> "np-secret";
            case "AKIAREADER" -> "rd-secret";
            case "AKIANOPOLICY" -> "none-secret";
            default -> "au-secret";
        };
        return builder.endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)));
    }

    static BedrockRuntimeClient runtime(MeridianServer server, String region, String key) {
        return as(BedrockRuntimeClient.builder(), server, region, key)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static ConverseResponse converse(BedrockRuntimeClient client, String modelId) {
        return client.converse(b ->
                b.modelId(modelId).messages(m -> m.role("user").content(c -> c.text("hi"))));
    }

    static String region(ConverseResponse r) {
        return r.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();
    }

    @Test
    void invoke_policyAllowsProfileAndEveryDestination_succeeds() {
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-1", "AKIAEUAPP")) {
            assertThat(region(converse(c, PROFILE))).startsWith("eu-");
            assertThat(region(converse(c, "amazon.nova-2-lite-v1:0"))).isEqualTo("eu-west-1");
        }
        try (BedrockRuntimeClient c = runtime(refusing, "us-east-1", "AKIAEUAPP")) {
            assertThatThrownBy(() -> converse(c, "amazon.nova-2-lite-v1:0"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("User: arn:aws:iam::111122223333:user/eu-app is not authorized to perform:"
                            + " bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/")
                    .hasMessageContaining("because no identity-based policy allows");
        }
    }

    /** CountTokens sends the prompt to a destination too, so it needs its own action, as on Bedrock. */
    @Test
    void countTokens_needsItsOwnAction() {
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-1", "AKIAEUAPP")) {
            assertThatThrownBy(() -> c.countTokens(b ->
                            b.modelId(PROFILE).input(i -> i.converse(v -> v.messages(ToolUseIT.user("hi"))))))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("is not authorized to perform: bedrock:CountTokens on resource:"
                            + " arn:aws:bedrock:eu-west-1:111122223333:inference-profile/" + PROFILE);
        }
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-1", "AKIANOPARIS")) {
            assertThat(c.countTokens(b -> b.modelId("amazon.nova-2-lite-v1:0")
                                    .input(i -> i.converse(v -> v.messages(ToolUseIT.user("hi")))))
                            .inputTokens())
                    .isPositive();
        }
    }

    @Test
    void invoke_refuseModeOneDestinationDenied_accessDenied() {
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-3", "AKIANOPARIS")) {
            assertThatThrownBy(() -> converse(c, PROFILE))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("arn:aws:bedrock:eu-west-3::foundation-model/amazon.nova-2-lite-v1:0")
                    .hasMessageContaining("with an explicit deny");
        }
        try (CloudTrailClient ct = as(CloudTrailClient.builder(), refusing, "eu-west-3", "AKIAAUDITOR")
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            var events = ct.lookupEvents(b -> b.lookupAttributes(
                            a -> a.attributeKey(LookupAttributeKey.USERNAME).attributeValue("no-paris")))
                    .events();
            assertThat(events).isNotEmpty();
            assertThat(events.get(0).cloudTrailEvent())
                    .contains("\"errorCode\":\"AccessDenied\"")
                    .contains("\"awsRegion\":\"eu-west-3\"");
        }
    }

    @Test
    void invoke_narrowMode_routesOnlyToPermittedDestinations() {
        try (BedrockRuntimeClient c = runtime(narrowing, "eu-west-3", "AKIANOPARIS")) {
            for (int i = 0; i < 10; i++) {
                String processed = region(converse(c, PROFILE));
                assertThat(processed).startsWith("eu-").isNotEqualTo("eu-west-3");
            }
        }
        try (BedrockRuntimeClient c = runtime(narrowing, "eu-west-3", "AKIAEUAPP")) {
            assertThat(region(converse(c, PROFILE)))
                    .as("a principal the policy allows everywhere is not narrowed: Paris is nearest")
                    .isEqualTo("eu-west-3");
        }
    }

    @Test
    void chatCompletions_policies_appliedAsOnBedrock() {
        com.openai.client.OpenAIClient refused = TestGateways.openAi(refusing, "openai-eu-key");
        com.openai.client.OpenAIClient narrowed = TestGateways.openAi(narrowing, "openai-eu-key");
        var params = com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                .model(PROFILE)
                .addUserMessage("hello from Paris")
                .build();
        assertThatThrownBy(() -> refused.chat().completions().create(params))
                .isInstanceOf(com.openai.errors.PermissionDeniedException.class)
                .hasMessageContaining("eu-west-3::foundation-model");
        var answer = narrowed.chat().completions().withRawResponse().create(params);
        assertThat(answer.headers().values("x-meridian-inference-region"))
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("eu-").isNotEqualTo("eu-west-3"));
    }

    @Test
    void explain_principal_showsPolicyDecision() {
        Explanation refused = refusing.wiring().gateway().explain("eu-west-3", PROFILE, "no-paris");
        assertThat(refused.policy().permitted()).isEmpty();
        assertThat(refused.policy().decisions()).anySatisfy(d -> {
            assertThat(d.region()).isEqualTo("eu-west-3");
            assertThat(d.decision().outcome()).isEqualTo(PolicyDecision.Outcome.EXPLICIT_DENY);
            assertThat(d.decision().describe()).contains("NotInParis");
        });
        Explanation narrowed = narrowing.wiring().gateway().explain("eu-west-3", PROFILE, "no-paris");
        assertThat(narrowed.allowed().regions()).isNotEmpty().doesNotContain("eu-west-3");
        assertThat(narrowed.allowed().rule()).contains("narrowed by the caller's policy");
        assertThat(narrowed.plan().candidates()).noneMatch(c -> c.region().equals("eu-west-3"));
    }

    @Test
    void controlPlane_withoutItsAction_accessDenied() {
        try (BedrockClient reader = as(BedrockClient.builder(), refusing, "eu-west-1", "AKIAREADER")
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            assertThat(reader.listInferenceProfiles(b -> {}).inferenceProfileSummaries())
                    .isNotEmpty();
            assertThatThrownBy(() -> reader.listFoundationModels(b -> {}))
                    .isInstanceOf(software.amazon.awssdk.services.bedrock.model.AccessDeniedException.class)
                    .hasMessageContaining("bedrock:ListFoundationModels");
        }
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-1", "AKIAREADER")) {
            assertThatThrownBy(() -> converse(c, PROFILE)).isInstanceOf(AccessDeniedException.class);
        }
        try (BedrockRuntimeClient c = runtime(refusing, "eu-west-1", "AKIANOPOLICY")) {
            assertThatThrownBy(() -> converse(c, PROFILE))
                    .as("once policies are configured, a key without any is denied (default deny)")
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("user/forgotten");
        }
    }

    @Test
    void config_malformedPolicy_stopsStartUpWithLineAndReason() {
        String yaml = """
                policies:
                  broken: |
                    {"Version": "2012-10-17",
                     "Statement": [
                       {"Effect": "Allow", "Action": "*", "Resource": "*"},
                       {"Effect": "Alow", "Action": "*", "Resource": "*"}]}
                auth:
                  accessKeys:
                    - {accessKeyId: AKIAX, secretAccessKey: x, policies: [broken]}
                """;
        assertThatThrownBy(() -> TestGateways.config(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("policies.broken: policy 'broken' line 4: Effect must be Allow or Deny");
        assertThatThrownBy(() -> TestGateways.config("""
                        auth:
                          accessKeys:
                            - {accessKeyId: AKIAX, secretAccessKey: x, policies: [missing]}
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown policy 'missing'");
    }
}
