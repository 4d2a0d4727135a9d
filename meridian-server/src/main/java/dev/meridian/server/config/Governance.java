package dev.meridian.server.config;

import dev.meridian.server.invocationlog.InvocationLogSettings;
import dev.meridian.server.policy.Authorization;
import dev.meridian.server.policy.Policies;
import dev.meridian.server.store.StoreSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Who may do what, and where the records that prove it are kept.
 *
 * @param policies identity policies by principal (principals without any are unrestricted)
 * @param policyMode refuse (Bedrock's behaviour) or narrow routing to the destinations a policy allows
 * @param stores where profiles and audit trails are stored
 * @param auditRetention how long events stay queryable by LookupEvents (older ones are exported, then purged)
 * @param peerPrincipals principals that are other Meridian gateways forwarding requests: the forwarding gateway
 *     keeps the audit record in the caller's source region, so this gateway does not record them again
 * @param invocationLogs where invocation-log buckets are written (local directories or the S3 API)
 */
public record Governance(
        Policies policies,
        Authorization.Mode policyMode,
        StoreSettings stores,
        Duration auditRetention,
        Set<String> peerPrincipals,
        InvocationLogSettings invocationLogs) {

    public Governance {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(policyMode, "policyMode");
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(auditRetention, "auditRetention");
        peerPrincipals = Set.copyOf(peerPrincipals);
        Objects.requireNonNull(invocationLogs, "invocationLogs");
    }

    /** No policies, the embedded stores, CloudTrail's 90-day event history. */
    public static Governance defaults() {
        return new Governance(
                Policies.unrestricted(),
                Authorization.Mode.REFUSE,
                StoreSettings.embedded(),
                Duration.ofDays(90),
                Set.of(),
                InvocationLogSettings.local());
    }

    public Governance withStores(StoreSettings newStores) {
        return new Governance(policies, policyMode, newStores, auditRetention, peerPrincipals, invocationLogs);
    }
}
