package dev.meridian.server.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identity policies attached to each principal, evaluated as IAM does: an explicit deny wins, otherwise an
 * allow is needed, otherwise the request is denied — including for principals with no policy at all. Only a
 * configuration that defines no policies whatsoever runs unenforced (every authenticated caller may do
 * everything), so the demo and configurations written before policies existed keep working.
 */
public final class Policies {
    private final Map<String, List<PolicyDocument>> byPrincipal;
    private final boolean enforced;

    /**
     * @param byPrincipal the policies attached to each principal
     * @param enforced whether policies apply at all (false only when the configuration defines none)
     */
    public Policies(Map<String, List<PolicyDocument>> byPrincipal, boolean enforced) {
        Map<String, List<PolicyDocument>> copy = new HashMap<>();
        byPrincipal.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byPrincipal = Map.copyOf(copy);
        this.enforced = enforced;
    }

    /** Enforced policies: principals without any attached are denied everything. */
    public Policies(Map<String, List<PolicyDocument>> byPrincipal) {
        this(byPrincipal, true);
    }

    /** No policies defined: everything authenticated is allowed. */
    public static Policies unrestricted() {
        return new Policies(Map.of(), false);
    }

    /** Whether policies apply (false: the configuration defines none, every authenticated caller is allowed). */
    public boolean enforced() {
        return enforced;
    }

    /**
     * Decides one request.
     *
     * @param context condition keys (any case) to values, e.g. {@code aws:RequestedRegion}
     */
    public PolicyDecision evaluate(String principal, String action, String resource, Map<String, String> context) {
        if (!enforced) {
            return new PolicyDecision(PolicyDecision.Outcome.ALLOWED, null);
        }
        List<PolicyDocument> docs = byPrincipal.getOrDefault(principal, List.of());
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
