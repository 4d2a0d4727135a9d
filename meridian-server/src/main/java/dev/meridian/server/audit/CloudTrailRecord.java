package dev.meridian.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Builds CloudTrail management-event records (event version 1.09): the same field names and nesting as AWS,
 * so tools that read CloudTrail read Meridian's trail. {@code awsRegion} is the caller's source region, and
 * {@code additionalEventData.inferenceRegion} the region that processed an invocation.
 */
public final class CloudTrailRecord {
    private CloudTrailRecord() {}

    /** The facts of one call that go into its record. */
    public record Facts(
            AuditedOperation operation,
            Caller caller,
            String accountId,
            Instant eventTime,
            String requestId,
            String sourceIp,
            String userAgent,
            JsonNode requestParameters,
            JsonNode responseElements,
            String inferenceRegion,
            String errorCode,
            String errorMessage) {}

    /** The record as an entry ready to be chained. */
    public static AuditEntry entry(Facts f) {
        String eventId = UUID.randomUUID().toString();
        Instant time = f.eventTime().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode r = Json.object();
        r.put("eventVersion", "1.09");
        ObjectNode identity = r.putObject("userIdentity");
        identity.put("type", "IAMUser");
        identity.put("principalId", f.caller().principal());
        identity.put(
                "arn", "arn:aws:iam::" + f.accountId() + ":user/" + f.caller().principal());
        identity.put("accountId", f.accountId());
        if (f.caller().accessKeyId() != null) {
            identity.put("accessKeyId", f.caller().accessKeyId());
        }
        identity.put("userName", f.caller().principal());
        r.put("eventTime", time.toString());
        r.put("eventSource", f.operation().eventSource());
        r.put("eventName", f.operation().eventName());
        r.put("awsRegion", f.caller().sourceRegion());
        r.put("sourceIPAddress", f.sourceIp());
        r.put("userAgent", f.userAgent());
        if (f.errorCode() != null) {
            r.put("errorCode", f.errorCode());
            r.put("errorMessage", f.errorMessage());
        }
        r.set("requestParameters", f.requestParameters());
        r.set("responseElements", f.responseElements());
        if (f.inferenceRegion() != null) {
            r.putObject("additionalEventData").put("inferenceRegion", f.inferenceRegion());
        }
        r.put("requestID", f.requestId());
        r.put("eventID", eventId);
        r.put("readOnly", f.operation().readOnly());
        String resourceName = resourceName(f);
        if (resourceName != null) {
            ObjectNode res = r.putArray("resources").addObject();
            res.put("accountId", f.accountId());
            res.put("type", f.operation().resourceType());
            res.put("ARN", resourceName);
        }
        r.put("eventType", "AwsApiCall");
        r.put("managementEvent", true);
        r.put("recipientAccountId", f.accountId());
        r.put("eventCategory", "Management");
        return new AuditEntry(
                time,
                eventId,
                f.operation().eventName(),
                f.operation().eventSource(),
                f.caller().principal(),
                f.caller().accessKeyId(),
                f.operation().readOnly(),
                resourceName == null ? null : f.operation().resourceType(),
                resourceName,
                r.toString());
    }

    private static String resourceName(Facts f) {
        if (f.operation().resourceName() != null) {
            return f.operation().resourceName();
        }
        JsonNode params = f.requestParameters();
        if (params != null && params.hasNonNull("modelId")) {
            return params.get("modelId").asText();
        }
        return null;
    }
}
