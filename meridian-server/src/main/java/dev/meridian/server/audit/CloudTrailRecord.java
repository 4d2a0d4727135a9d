package dev.meridian.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Ids;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds CloudTrail management-event records (event version 1.09): the same field names and nesting as AWS,
 * so tools that read CloudTrail read Meridian's trail. {@code awsRegion} is the caller's source region, and
 * {@code additionalEventData.inferenceRegion} the region that processed an invocation; Meridian's own {@code
 * additionalEventData.attemptedRegions} lists every region an invocation was tried in when one did not answer it.
 */
public final class CloudTrailRecord {
    private CloudTrailRecord() {}

    /**
     * The facts of one call that go into its record; {@code attemptedRegions} is null unless the call was tried in a
     * region that did not answer it.
     */
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
            String errorMessage,
            List<String> attemptedRegions) {}

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * The record as an entry ready to be chained, written with a streaming generator (this runs once per API
     * call, on the request path).
     */
    public static AuditEntry entry(Facts f) {
        String eventId = Ids.next().toString();
        Instant time = f.eventTime().truncatedTo(ChronoUnit.SECONDS);
        String resourceName = resourceName(f);
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setCodec(Json.MAPPER);
            g.writeStartObject();
            g.writeStringField("eventVersion", "1.09");
            g.writeObjectFieldStart("userIdentity");
            g.writeStringField("type", "IAMUser");
            g.writeStringField("principalId", f.caller().principal());
            g.writeStringField(
                    "arn",
                    "arn:aws:iam::" + f.accountId() + ":user/" + f.caller().principal());
            g.writeStringField("accountId", f.accountId());
            if (f.caller().accessKeyId() != null) {
                g.writeStringField("accessKeyId", f.caller().accessKeyId());
            }
            g.writeStringField("userName", f.caller().principal());
            g.writeEndObject();
            g.writeStringField("eventTime", time.toString());
            g.writeStringField("eventSource", f.operation().eventSource());
            g.writeStringField("eventName", f.operation().eventName());
            g.writeStringField("awsRegion", f.caller().sourceRegion());
            g.writeStringField("sourceIPAddress", f.sourceIp());
            g.writeStringField("userAgent", f.userAgent());
            if (f.errorCode() != null) {
                g.writeStringField("errorCode", f.errorCode());
                g.writeStringField("errorMessage", f.errorMessage());
            }
            g.writeFieldName("requestParameters");
            g.writeTree(f.requestParameters() == null ? NullNode.getInstance() : f.requestParameters());
            g.writeFieldName("responseElements");
            g.writeTree(f.responseElements() == null ? NullNode.getInstance() : f.responseElements());
            if (f.inferenceRegion() != null || f.attemptedRegions() != null) {
                g.writeObjectFieldStart("additionalEventData");
                if (f.inferenceRegion() != null) {
                    g.writeStringField("inferenceRegion", f.inferenceRegion());
                }
                if (f.attemptedRegions() != null) {
                    g.writeArrayFieldStart("attemptedRegions");
                    for (String region : f.attemptedRegions()) {
                        g.writeString(region);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeStringField("requestID", f.requestId());
            g.writeStringField("eventID", eventId);
            g.writeBooleanField("readOnly", f.operation().readOnly());
            if (resourceName != null) {
                g.writeArrayFieldStart("resources");
                g.writeStartObject();
                g.writeStringField("accountId", f.accountId());
                g.writeStringField("type", f.operation().resourceType());
                g.writeStringField("ARN", resourceName);
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeStringField("eventType", "AwsApiCall");
            g.writeBooleanField("managementEvent", true);
            g.writeStringField("recipientAccountId", f.accountId());
            g.writeStringField("eventCategory", "Management");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                out.toString());
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
