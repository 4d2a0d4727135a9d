package dev.meridian.server.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit event before it joins the chain: the CloudTrail record as JSON text plus the fields LookupEvents
 * filters on (which {@link ChainVerifier} checks against the record, so they cannot drift from it).
 *
 * @param eventTime when the call was received
 * @param eventId a unique id (UUID)
 * @param eventName the API operation, e.g. {@code Converse}
 * @param eventSource e.g. {@code bedrock.amazonaws.com}
 * @param username the principal, or {@code null}
 * @param accessKeyId the access key used, or {@code null} (API keys are never recorded)
 * @param readOnly whether the operation only reads
 * @param resourceType the main resource's type, or {@code null}
 * @param resourceName the main resource's name (ARN or id), or {@code null}
 * @param recordJson the CloudTrail record, metadata only
 */
public record AuditEntry(
        Instant eventTime,
        String eventId,
        String eventName,
        String eventSource,
        String username,
        String accessKeyId,
        boolean readOnly,
        String resourceType,
        String resourceName,
        String recordJson) {

    public AuditEntry {
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(eventSource, "eventSource");
        Objects.requireNonNull(recordJson, "recordJson");
    }
}
