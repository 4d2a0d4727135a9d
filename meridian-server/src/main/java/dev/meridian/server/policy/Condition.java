package dev.meridian.server.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One condition of a statement, e.g. {@code "StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}. A key
 * missing from the request context fails every operator except the negated ones, as in IAM.
 *
 * @param operator the condition operator
 * @param key the context key, compared case-insensitively as IAM does
 * @param values the values; any one matching satisfies the condition (IAM's OR within a key)
 */
public record Condition(Operator operator, String key, List<String> values) {

    public Condition {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }

    /** The supported string operators. */
    public enum Operator {
        STRING_EQUALS("StringEquals"),
        STRING_NOT_EQUALS("StringNotEquals"),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase"),
        STRING_LIKE("StringLike"),
        STRING_NOT_LIKE("StringNotLike");

        private final String jsonName;

        Operator(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        static Operator named(String name) {
            for (Operator o : values()) {
                if (o.jsonName.equals(name)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** Whether the condition holds for {@code context} (keys already lower-cased). */
    boolean holds(Map<String, String> context) {
        String actual = context.get(key.toLowerCase(java.util.Locale.ROOT));
        return switch (operator) {
            case STRING_EQUALS -> actual != null && values.contains(actual);
            case STRING_NOT_EQUALS -> actual == null || !values.contains(actual);
            case STRING_EQUALS_IGNORE_CASE -> actual != null && values.stream().anyMatch(actual::equalsIgnoreCase);
            case STRING_LIKE -> actual != null && values.stream().anyMatch(v -> Wildcards.matches(v, actual, false));
            case STRING_NOT_LIKE ->
                actual == null || values.stream().noneMatch(v -> Wildcards.matches(v, actual, false));
        };
    }
}
