package dev.meridian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

    @Test
    void parse_wholeDocument_readsEveryElement() {
        PolicyDocument doc = PolicyParser.parse("p", """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Sid": "Invoke", "Effect": "Allow", "Action": ["bedrock:InvokeModel*"],
                     "Resource": "arn:aws:bedrock:*:*:inference-profile/eu.*",
                     "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-3"]}}},
                    {"Effect": "Deny", "NotAction": "bedrock:List*", "NotResource": "*"}
                  ]
                }""");
        assertThat(doc.statements()).hasSize(2);
        Statement s = doc.statements().get(0);
        assertThat(s.sid()).isEqualTo("Invoke");
        assertThat(s.effect()).isEqualTo(Effect.ALLOW);
        assertThat(s.line()).isEqualTo(4);
        assertThat(s.conditions())
                .containsExactly(new Condition(
                        Condition.Operator.STRING_EQUALS, "aws:RequestedRegion", List.of("eu-west-1", "eu-west-3")));
        assertThat(doc.statements().get(1).notActions()).containsExactly("bedrock:List*");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]}                            | line 1: Effect must be Allow or Deny, got 'Alow'
            {"Version": "2020-01-01", "Statement": []}                                                  | Version must be 2012-10-17
            {"Statement": [{"Effect": "Allow", "Resource": "*"}]}                                       | exactly one of Action and NotAction
            {"Statement": [{"Effect": "Allow", "Action": "*"}]}                                         | exactly one of Resource and NotResource
            {"Statement": [{"Effect": "Allow", "Action": "InvokeModel", "Resource": "*"}]}              | is not an action
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "eu-west-1"}]}                | is not an ARN
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}]}       | Principal belongs in resource policies
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"NumericLessThan": {"a": "1"}}}]} | unsupported condition operator 'NumericLessThan'
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Actions": "*"}]}        | unknown statement field 'Actions'
            {"Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}                         | Action must not be empty
            {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"                             | not valid JSON
            {}                                                                                            | has no Statement
            """)
    void parse_malformedDocument_refusedWithReason(String json, String reason) {
        assertThatThrownBy(() -> PolicyParser.parse("bad", json))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy 'bad' line ")
                .hasMessageContaining(reason);
    }

    @Test
    void parse_mistake_namesItsLine() {
        String json = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"},
                    {
                      "Effect": "Permit",
                      "Action": "*",
                      "Resource": "*"
                    }
                  ]
                }""";
        assertThatThrownBy(() -> PolicyParser.parse("two", json))
                .hasMessage("policy 'two' line 6: Effect must be Allow or Deny, got 'Permit'");
    }
}
