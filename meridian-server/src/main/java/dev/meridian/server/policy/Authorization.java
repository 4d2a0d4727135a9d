package dev.meridian.server.policy;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.AllowedDestinations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the policies to gateway operations, with Bedrock's rules for cross-Region inference: invoking through
 * a profile needs the action on the profile and on the foundation model in every destination region (evaluated
 * with {@code aws:RequestedRegion} set to that destination). In {@link Mode#NARROW} mode, a Meridian extension,
 * destinations the policy does not allow are dropped instead of refusing the request.
 */
public final class Authorization {
    /** Condition key naming the region a request is evaluated in. */
    public static final String REQUESTED_REGION = "aws:RequestedRegion";
    /** Condition key naming the inference profile an invocation goes through. */
    public static final String INFERENCE_PROFILE_ARN = "bedrock:InferenceProfileArn";

    /** What to do when a principal may not invoke the model in some of the allowed destinations. */
    public enum Mode {
        /** Refuse the request, as Amazon Bedrock does. */
        REFUSE,
        /** Route only to the destinations the policy allows (refuse only when none is left). */
        NARROW
    }

    private final Policies policies;
    private final Mode mode;
    private final String accountId;

    public Authorization(Policies policies, Mode mode, String accountId) {
        this.policies = policies;
        this.mode = mode;
        this.accountId = accountId;
    }

    public static Authorization unrestricted(String accountId) {
        return new Authorization(Policies.unrestricted(), Mode.REFUSE, accountId);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Requires {@code action} on {@code resource} for a control-plane call made in {@code sourceRegion}.
     *
     * @throws GatewayException {@link ErrorKind#ACCESS_DENIED} with IAM's wording when not allowed
     */
    public void require(String principal, String sourceRegion, String action, String resource) {
        PolicyDecision d = policies.evaluate(principal, action, resource, Map.of(REQUESTED_REGION, sourceRegion));
        if (!d.allowed()) {
            throw denied(principal, action, resource, d);
        }
    }

    /** One resource the invocation needs, and what the policy says about it. */
    public record ResourceDecision(String resource, String region, PolicyDecision decision) {}

    /**
     * The policy's view of one invocation.
     *
     * @param decisions every resource checked, profile first
     * @param permitted the destinations the request may go to (all of the allowed set, or the narrowed part)
     */
    public record InvocationDecision(List<ResourceDecision> decisions, Set<String> permitted) {}

    /**
     * Decides an invocation of {@code target} from {@code sourceRegion} whose residency rules allow
     * {@code allowed}, without throwing: {@code meridian explain} shows the result.
     */
    public InvocationDecision decide(
            String principal,
            String action,
            InvocationTarget target,
            String sourceRegion,
            AllowedDestinations allowed) {
        List<ResourceDecision> decisions = new ArrayList<>();
        String model = target.model().id();
        if (!target.viaProfile()) {
            String arn = BedrockArns.foundationModel(sourceRegion, model);
            PolicyDecision d = policies.evaluate(principal, action, arn, Map.of(REQUESTED_REGION, sourceRegion));
            decisions.add(new ResourceDecision(arn, sourceRegion, d));
            return new InvocationDecision(decisions, d.allowed() ? allowed.regions() : Set.of());
        }
        String profileArn = BedrockArns.profile(target.profile(), sourceRegion, accountId);
        PolicyDecision onProfile = policies.evaluate(
                principal,
                action,
                profileArn,
                Map.of(REQUESTED_REGION, sourceRegion, INFERENCE_PROFILE_ARN, profileArn));
        decisions.add(new ResourceDecision(profileArn, sourceRegion, onProfile));
        Set<String> permitted = new LinkedHashSet<>();
        boolean all = true;
        for (String region : allowed.regions()) {
            String arn = BedrockArns.foundationModel(region, model);
            PolicyDecision d = policies.evaluate(
                    principal, action, arn, Map.of(REQUESTED_REGION, region, INFERENCE_PROFILE_ARN, profileArn));
            decisions.add(new ResourceDecision(arn, region, d));
            if (d.allowed()) {
                permitted.add(region);
            } else {
                all = false;
            }
        }
        if (!onProfile.allowed() || (!all && mode == Mode.REFUSE)) {
            permitted.clear();
        }
        return new InvocationDecision(decisions, permitted);
    }

    /**
     * The destinations {@code principal} may have the invocation processed in.
     *
     * @throws GatewayException {@link ErrorKind#ACCESS_DENIED} naming the first resource the policy refuses
     */
    public Set<String> permittedDestinations(
            String principal,
            String action,
            InvocationTarget target,
            String sourceRegion,
            AllowedDestinations allowed) {
        if (!policies.enforced()) {
            return allowed.regions(); // no policies configured: skip building an ARN per destination per request
        }
        InvocationDecision decision = decide(principal, action, target, sourceRegion, allowed);
        if (!decision.permitted().isEmpty() || allowed.isEmpty()) {
            return decision.permitted();
        }
        ResourceDecision refused = decision.decisions().stream()
                .filter(r -> !r.decision().allowed())
                .findFirst()
                .orElseThrow();
        throw denied(principal, action, refused.resource(), refused.decision());
    }

    private GatewayException denied(String principal, String action, String resource, PolicyDecision d) {
        String why = d.outcome() == PolicyDecision.Outcome.EXPLICIT_DENY
                ? " with an explicit deny in an identity-based policy"
                : " because no identity-based policy allows the " + action + " action";
        return new GatewayException(
                ErrorKind.ACCESS_DENIED,
                "User: arn:aws:iam::" + accountId + ":user/" + principal + " is not authorized to perform: " + action
                        + " on resource: " + resource + why);
    }
}
