package dev.meridian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** IAM's evaluation order over random statement sets: deny wins, allow is needed, order never matters. */
class ExplicitDenyProperties {
    static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3", "eu-central-1", "us-east-1");
    static final List<String> ACTIONS = List.of("bedrock:InvokeModel", "bedrock:ListInferenceProfiles");

    @Provide
    Arbitrary<List<Statement>> statements() {
        Arbitrary<Statement> one = Combinators.combine(
                        Arbitraries.of(Effect.values()),
                        Arbitraries.of("bedrock:*", "bedrock:Invoke*", "bedrock:List*", "*", "s3:*"),
                        Arbitraries.of("eu-west-1", "eu-*", "*", "us-east-1", "eu-west-?"))
                .as((effect, action, region) -> new Statement(
                        null,
                        effect,
                        List.of(action),
                        List.of(),
                        List.of("arn:aws:bedrock:" + region + "::foundation-model/*"),
                        List.of(),
                        List.of(),
                        1));
        return one.list().ofMinSize(0).ofMaxSize(6);
    }

    @Property(tries = 300)
    void evaluate_randomStatements_followsIamLogic(
            @ForAll("statements") List<Statement> statements,
            @ForAll("regions") String region,
            @ForAll("actions") String action) {
        String resource = "arn:aws:bedrock:" + region + "::foundation-model/m";
        Policies policies = new Policies(Map.of("p", List.of(new PolicyDocument("d", statements))));
        PolicyDecision decision = policies.evaluate("p", action, resource, Map.of());
        boolean anyDeny =
                statements.stream().anyMatch(s -> s.effect() == Effect.DENY && s.applies(action, resource, Map.of()));
        boolean anyAllow =
                statements.stream().anyMatch(s -> s.effect() == Effect.ALLOW && s.applies(action, resource, Map.of()));
        assertThat(decision.allowed()).isEqualTo(!anyDeny && anyAllow);
        if (anyDeny) {
            assertThat(decision.outcome()).isEqualTo(PolicyDecision.Outcome.EXPLICIT_DENY);
        }
        List<Statement> shuffled = new ArrayList<>(statements);
        Collections.reverse(shuffled);
        PolicyDecision reversed = new Policies(Map.of("p", List.of(new PolicyDocument("d", shuffled))))
                .evaluate("p", action, resource, Map.of());
        assertThat(reversed.outcome()).isEqualTo(decision.outcome());
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of(REGIONS);
    }

    @Provide
    Arbitrary<String> actions() {
        return Arbitraries.of(ACTIONS);
    }
}
