package dev.meridian.server.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an IAM-style policy document (JSON), refusing anything it would not enforce exactly: unknown fields,
 * unknown condition operators, misspelt effects, resource-policy elements such as {@code Principal}. Every
 * error names the line, so a malformed policy is fixed at load and never half-applied at run time.
 */
public final class PolicyParser {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

    private final String name;
    private final JsonParser parser;

    private PolicyParser(String name, JsonParser parser) {
        this.name = name;
        this.parser = parser;
    }

    /**
     * Parses {@code json} as the policy named {@code name}.
     *
     * @throws PolicyException with the line and reason when the document is malformed
     */
    public static PolicyDocument parse(String name, String json) {
        try (JsonParser p = JSON.createParser(json)) {
            return new PolicyParser(name, p).document();
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new PolicyException(name, line, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyException(name, 1, "unreadable: " + e.getMessage());
        }
    }

    private PolicyDocument document() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw error("a policy document is a JSON object");
        }
        List<Statement> statements = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            int line = line();
            parser.nextToken();
            switch (field) {
                case "Version" -> {
                    String v = scalar(field);
                    if (!VERSIONS.contains(v)) {
                        throw new PolicyException(name, line, "Version must be 2012-10-17, got '" + v + "'");
                    }
                }
                case "Id" -> scalar(field);
                case "Statement" -> statements = statements();
                default ->
                    throw new PolicyException(
                            name, line, "unknown field '" + field + "' (expected Version, Id, Statement)");
            }
        }
        if (statements == null || statements.isEmpty()) {
            throw new PolicyException(name, 1, "the document has no Statement");
        }
        if (parser.nextToken() != null) {
            throw error("unexpected content after the policy document");
        }
        return new PolicyDocument(name, statements);
    }

    private List<Statement> statements() throws IOException {
        List<Statement> out = new ArrayList<>();
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            out.add(statement());
            return out;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw error("Statement must be an object or an array of objects");
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw error("each Statement entry must be an object");
            }
            out.add(statement());
        }
        return out;
    }

    private Statement statement() throws IOException {
        int start = line();
        String sid = null;
        Effect effect = null;
        List<String> actions = List.of();
        List<String> notActions = List.of();
        List<String> resources = List.of();
        List<String> notResources = List.of();
        List<Condition> conditions = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            int line = line();
            parser.nextToken();
            switch (field) {
                case "Sid" -> sid = scalar(field);
                case "Effect" -> effect = effect(scalar(field), line);
                case "Action" -> actions = actions(field);
                case "NotAction" -> notActions = actions(field);
                case "Resource" -> resources = resources(field);
                case "NotResource" -> notResources = resources(field);
                case "Condition" -> conditions = conditions();
                case "Principal", "NotPrincipal" ->
                    throw new PolicyException(
                            name,
                            line,
                            field + " belongs in resource policies; identity policies apply to the principals"
                                    + " they are attached to");
                default ->
                    throw new PolicyException(
                            name,
                            line,
                            "unknown statement field '" + field
                                    + "' (expected Sid, Effect, Action, NotAction, Resource, NotResource, Condition)");
            }
        }
        if (effect == null) {
            throw new PolicyException(name, start, "the statement has no Effect");
        }
        if (actions.isEmpty() == notActions.isEmpty()) {
            throw new PolicyException(name, start, "a statement needs exactly one of Action and NotAction");
        }
        if (resources.isEmpty() == notResources.isEmpty()) {
            throw new PolicyException(name, start, "a statement needs exactly one of Resource and NotResource");
        }
        return new Statement(sid, effect, actions, notActions, resources, notResources, conditions, start);
    }

    private Effect effect(String value, int line) {
        return switch (value) {
            case "Allow" -> Effect.ALLOW;
            case "Deny" -> Effect.DENY;
            default -> throw new PolicyException(name, line, "Effect must be Allow or Deny, got '" + value + "'");
        };
    }

    private List<String> actions(String field) throws IOException {
        List<String> out = strings(field);
        for (String a : out) {
            if (!ACTION.matcher(a).matches()) {
                throw error(
                        field + " '" + a + "' is not an action (expected service:Action, e.g. bedrock:InvokeModel)");
            }
        }
        return out;
    }

    private List<String> resources(String field) throws IOException {
        List<String> out = strings(field);
        for (String r : out) {
            if (!r.equals("*") && !r.startsWith("arn:")) {
                throw error(field + " '" + r + "' is not an ARN or '*'");
            }
        }
        return out;
    }

    private List<Condition> conditions() throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw error("Condition must be an object of operators");
        }
        List<Condition> out = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String op = parser.currentName();
            Condition.Operator operator = Condition.Operator.named(op);
            if (operator == null) {
                throw error("unsupported condition operator '" + op
                        + "' (supported: StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringLike,"
                        + " StringNotLike)");
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw error(op + " must be an object of condition keys");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                out.add(new Condition(operator, key, strings(op + "." + key)));
            }
        }
        return out;
    }

    /** A string or a non-empty array of strings. */
    private List<String> strings(String field) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return List.of(parser.getText());
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw error(field + " must be a string or an array of strings");
        }
        List<String> out = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw error(field + " must contain strings only");
            }
            out.add(parser.getText());
        }
        if (out.isEmpty()) {
            throw error(field + " must not be empty");
        }
        return out;
    }

    private String scalar(String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw error(field + " must be a string");
        }
        return parser.getText();
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private PolicyException error(String reason) {
        return new PolicyException(name, line(), reason);
    }
}
