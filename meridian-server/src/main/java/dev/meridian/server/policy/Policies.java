package dev.meridian.server.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identity policies attached to each principal, evaluated as IAM does: an explicit deny wins, otherwise an
 * allow is needed, otherwise the request is denied. A principal with no policy attached is unrestricted, so a
 * configuration without policies keeps working; attaching any policy switches that principal to default deny.
 */
public final class Policies {
    private final Map<String, List<PolicyDocument>> byPrincipal;

    public Policies(Map<String, List<PolicyDocument>> byPrincipal) {
        Map<String, List<PolicyDocument>> copy = new HashMap<>();
        byPrincipal.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byPrincipal = Map.copyOf(copy);
    }

    /** No principal has a policy: everything authenticated is allowed. */
    public static Policies unrestricted() {
        return new Policies(Map.of());
    }

    /** Whether {@code principal} has any policy attached (and is therefore default-deny). */
    public boolean restricts(String principal) {
        return byPrincipal.containsKey(principal);
    }

    /**
     * Decides one request.
     *
     * @param context condition keys (any case) to values, e.g. {@code aws:RequestedRegion}
     */
    public PolicyDecision evaluate(String principal, String action, String resource, Map<String, String> context) {
        List<PolicyDocument> docs = byPrincipal.get(principal);
        if (docs == null) {
            return new PolicyDecision(PolicyDecision.Outcome.ALLOWED, null);
        }
        Map<String, String> ctx = new HashMap<>();
        context.forEach((k, v) -> ctx.put(k.toLowerCase(Locale.ROOT), v));
        String allowedBy = null;
        for (PolicyDocument doc : docs) {
            for (Statement s : doc.statements()) {
                if (!s.applies(action, resource, ctx)) {
                    continue;
                }
                if (s.effect() == Effect.DENY) {
                    return new PolicyDecision(PolicyDecision.Outcome.EXPLICIT_DENY, s.describe(doc.name()));
                }
                if (allowedBy == null) {
                    allowedBy = s.describe(doc.name());
                }
            }
        }
        return allowedBy == null
                ? new PolicyDecision(PolicyDecision.Outcome.IMPLICIT_DENY, null)
                : new PolicyDecision(PolicyDecision.Outcome.ALLOWED, allowedBy);
    }
}
