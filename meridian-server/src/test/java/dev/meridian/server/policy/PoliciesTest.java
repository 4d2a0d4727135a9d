package dev.meridian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoliciesTest {
    static final String FM_PARIS = "arn:aws:bedrock:eu-west-3::foundation-model/amazon.nova-2-lite-v1:0";
    static final String FM_DUBLIN = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-2-lite-v1:0";

    static Policies attach(String principal, String... documents) {
        List<PolicyDocument> docs = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            docs.add(PolicyParser.parse("p" + i, documents[i]));
        }
        return new Policies(Map.of(principal, docs));
    }

    @Test
    void evaluate_noPolicyAttached_deniedOnceAnyPolicyExists() {
        Policies p = attach("app", """
                {"Statement": {"Effect": "Allow", "Action": "bedrock:List*", "Resource": "*"}}""");
        assertThat(p.evaluate("other", "bedrock:InvokeModel", FM_PARIS, Map.of())
                        .outcome())
                .as("a principal with no policy attached gets nothing")
                .isEqualTo(PolicyDecision.Outcome.IMPLICIT_DENY);
        assertThat(Policies.unrestricted()
                        .evaluate("anyone", "bedrock:InvokeModel", FM_PARIS, Map.of())
                        .allowed())
                .as("no policies configured at all: unenforced")
                .isTrue();
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of()).outcome())
                .isEqualTo(PolicyDecision.Outcome.IMPLICIT_DENY);
        assertThat(p.evaluate("app", "bedrock:ListInferenceProfiles", "*", Map.of())
                        .allowed())
                .isTrue();
    }

    @Test
    void evaluate_explicitDenyInAnyDocument_wins() {
        String allowAll = """
                {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""";
        String denyParis = """
                {"Statement": {"Sid": "NoParis", "Effect": "Deny", "Action": "bedrock:Invoke*",
                 "Resource": "arn:aws:bedrock:eu-west-3::foundation-model/*"}}""";
        for (Policies p : List.of(attach("app", allowAll, denyParis), attach("app", denyParis, allowAll))) {
            PolicyDecision paris = p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of());
            assertThat(paris.outcome()).isEqualTo(PolicyDecision.Outcome.EXPLICIT_DENY);
            assertThat(paris.statement()).endsWith("/NoParis");
            assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_DUBLIN, Map.of())
                            .allowed())
                    .isTrue();
        }
    }

    @Test
    void evaluate_wildcards_actionsIgnoreCaseResourcesDoNot() {
        Policies p = attach("app", """
                {"Statement": {"Effect": "Allow", "Action": "BEDROCK:invokemodel",
                 "Resource": "arn:aws:bedrock:eu-west-?::foundation-model/amazon.*"}}""");
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of()).allowed())
                .isTrue();
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS.toUpperCase(), Map.of())
                        .allowed())
                .isFalse();
        assertThat(p.evaluate("app", "bedrock:InvokeModelWithResponseStream", FM_PARIS, Map.of())
                        .allowed())
                .isFalse();
    }

    @Test
    void evaluate_conditions_onRequestedRegionAndProfile() {
        Policies p = attach("app", """
                {"Statement": [
                  {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*",
                   "Condition": {"StringLike": {"aws:RequestedRegion": "eu-*"},
                                 "StringEquals": {"bedrock:InferenceProfileArn":
                                   "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0"}}}
                ]}""");
        String profile = "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0";
        assertThat(p.evaluate(
                                "app",
                                "bedrock:InvokeModel",
                                FM_PARIS,
                                Map.of("aws:requestedregion", "eu-west-3", "bedrock:InferenceProfileArn", profile))
                        .allowed())
                .isTrue();
        assertThat(p.evaluate(
                                "app",
                                "bedrock:InvokeModel",
                                FM_PARIS,
                                Map.of("aws:RequestedRegion", "us-east-1", "bedrock:InferenceProfileArn", profile))
                        .allowed())
                .isFalse();
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of("aws:RequestedRegion", "eu-west-3"))
                        .allowed())
                .as("a condition on a key the request lacks does not hold")
                .isFalse();
    }

    @Test
    void evaluate_negatedOperatorKeyAbsent_holds() {
        Policies p = attach("app", """
                {"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringNotLike": {"aws:RequestedRegion": "eu-*"}}}}""", """
                {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""");
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of("aws:RequestedRegion", "eu-west-3"))
                        .allowed())
                .isTrue();
        assertThat(p.evaluate("app", "bedrock:InvokeModel", FM_PARIS, Map.of("aws:RequestedRegion", "us-east-1"))
                        .allowed())
                .isFalse();
    }
}
