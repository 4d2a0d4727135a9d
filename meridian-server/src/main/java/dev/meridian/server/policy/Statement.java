package dev.meridian.server.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of a policy document. Exactly one of {@code actions}/{@code notActions} and one of
 * {@code resources}/{@code notResources} is non-empty, as IAM requires.
 *
 * @param sid the optional statement id, shown in decisions ({@code null} when absent)
 * @param effect allow or deny
 * @param actions action patterns such as {@code bedrock:Invoke*}
 * @param notActions action patterns this statement applies to all actions except
 * @param resources ARN patterns
 * @param notResources ARN patterns this statement applies to all resources except
 * @param conditions all must hold (IAM's AND across conditions)
 * @param line the line of the statement in its document, for messages
 */
public record Statement(
        String sid,
        Effect effect,
        List<String> actions,
        List<String> notActions,
        List<String> resources,
        List<String> notResources,
        List<Condition> conditions,
        int line) {

    public Statement {
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        resources = List.copyOf(resources);
        notResources = List.copyOf(notResources);
        conditions = List.copyOf(conditions);
    }

    /** Whether this statement applies to the request (its effect is then the statement's say). */
    boolean applies(String action, String resource, Map<String, String> context) {
        boolean actionMatches = actions.isEmpty()
                ? notActions.stream().noneMatch(p -> Wildcards.matches(p, action, true))
                : actions.stream().anyMatch(p -> Wildcards.matches(p, action, true));
        if (!actionMatches) {
            return false;
        }
        boolean resourceMatches = resources.isEmpty()
                ? notResources.stream().noneMatch(p -> Wildcards.matches(p, resource, false))
                : resources.stream().anyMatch(p -> Wildcards.matches(p, resource, false));
        return resourceMatches && conditions.stream().allMatch(c -> c.holds(context));
    }

    /** {@code policy/sid} or {@code policy line N}, for messages. */
    String describe(String policyName) {
        return sid == null ? policyName + " (statement at line " + line + ")" : policyName + "/" + sid;
    }
}
