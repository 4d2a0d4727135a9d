package dev.meridian.server.surface.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.error.Failures;
import dev.meridian.server.audit.AuditTrail;
import dev.meridian.server.audit.ChainedEntry;
import dev.meridian.server.audit.LookupQuery;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.AuthenticatedRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * CloudTrail's {@code LookupEvents} (AWS JSON 1.1, {@code X-Amz-Target:
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}, or {@code CloudTrail_20131101.LookupEvents} as
 * the JavaScript SDK v3 sends it) over the caller's source region's trail:
 * at most one lookup attribute, a time range inside the retention period, newest first, 50 per page.
 */
public final class LookupEventsService implements HttpService {
    /** The target this service answers. */
    public static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    /**
     * The same operation as the AWS SDK for JavaScript v3 names it (the Smithy service shape name, without the
     * namespace the Java SDK and the service's JSON model use).
     */
    public static final String SHORT_TARGET = "CloudTrail_20131101.LookupEvents";

    private static final MediaType AMZ_JSON = MediaType.parse("application/x-amz-json-1.1");
    private static final int MAX_RESULTS = 50;

    private final Authenticator callers;
    private final AuthenticatedRequests requests;
    private final AuditTrail trail;
    private final Duration retention;
    private final Clock clock;

    public LookupEventsService(
            Authenticator callers, Supplier<Catalog> catalog, AuditTrail trail, Duration retention, Clock clock) {
        this.callers = callers;
        this.requests = new AuthenticatedRequests(callers, catalog, "cloudtrail", LookupEventsService::error);
        this.trail = trail;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        String target = req.headers().get("x-amz-target");
        if (target == null || !(target.equals(TARGET) || target.equals(SHORT_TARGET))) {
            return CloudTrailErrors.of(
                    HttpStatus.BAD_REQUEST,
                    "UnknownOperationException",
                    "Unsupported X-Amz-Target " + target + "; this endpoint serves " + TARGET + ".");
        }
        return requests.serve(ctx, req, (caller, body) -> {
            callers.authorize(caller, "cloudtrail:LookupEvents", "*");
            JsonNode root = root(body);
            LookupQuery query = query(root); // validated whatever the category
            if (insightsRequested(root)) { // the gateway records no Insights events: none match
                return CompletableFuture.completedFuture(render(List.of(), MAX_RESULTS));
            }
            return trail.lookup(caller.sourceRegion(), query)
                    .thenApply(events -> render(events, query.limit()))
                    .exceptionally(e -> CloudTrailErrors.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "ServiceUnavailableException",
                            "The audit store is unavailable. Retry later."));
        });
    }

    private static HttpResponse error(Throwable failure) {
        return Failures.cause(failure) instanceof LookupError e
                ? CloudTrailErrors.of(HttpStatus.BAD_REQUEST, e.type, e.getMessage())
                : CloudTrailErrors.of(failure);
    }

    /** {@code EventCategory}: absent for management events, {@code insight} for Insights events, nothing else. */
    private static boolean insightsRequested(JsonNode root) {
        JsonNode category = root.get("EventCategory");
        if (category == null || category.isNull()) {
            return false;
        }
        if (!category.isTextual() || !category.textValue().equals("insight")) {
            throw new LookupError(
                    "InvalidEventCategoryException", "EventCategory must be insight, got " + category + ".");
        }
        return true;
    }

    private static JsonNode root(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? Json.object() : Json.readRequest(body);
        } catch (IOException e) {
            throw new LookupError("SerializationException", "The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new LookupError("SerializationException", "The request body must be a JSON object.");
        }
        return root;
    }

    private LookupQuery query(JsonNode root) {
        LookupQuery.Attribute attribute = attribute(root.path("LookupAttributes"));
        Instant now = clock.instant();
        Instant end = time(root, "EndTime", now);
        Instant start = time(root, "StartTime", now.minus(retention));
        if (start.isAfter(end)) {
            throw new LookupError(
                    "InvalidTimeRangeException",
                    "Occurs if the timestamp values are invalid. Either the start time"
                            + " occurs after the end time or the time range is outside the range of possible values.");
        }
        Instant oldest = now.minus(retention);
        if (start.isBefore(oldest)) {
            start = oldest;
        }
        int limit = MAX_RESULTS;
        JsonNode max = root.get("MaxResults");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber()
                    || !max.canConvertToInt()
                    || max.intValue() < 1
                    || max.intValue() > MAX_RESULTS) {
                throw new LookupError(
                        "InvalidMaxResultsException", "MaxResults must be between 1 and 50, got " + max + ".");
            }
            limit = max.intValue();
        }
        long before = Long.MAX_VALUE;
        JsonNode token = root.get("NextToken");
        if (token != null && !token.isNull()) {
            before = decodeToken(token.asText());
        }
        return new LookupQuery(attribute, start, end, before, limit);
    }

    private static LookupQuery.Attribute attribute(JsonNode attributes) {
        if (attributes.isMissingNode() || attributes.isNull()) {
            return null;
        }
        if (!attributes.isArray()) { // checked first: a string or number is "empty" to Jackson
            throw new LookupError("InvalidLookupAttributesException", "LookupAttributes must be a list.");
        }
        if (attributes.isEmpty()) {
            return null;
        }
        if (attributes.size() > 1) {
            throw new LookupError(
                    "InvalidLookupAttributesException", "LookupAttributes can contain only one attribute.");
        }
        JsonNode a = attributes.get(0);
        String key = member(a, "AttributeKey");
        LookupQuery.Key parsed;
        try {
            parsed = LookupQuery.Key.valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new LookupError(
                    "InvalidLookupAttributesException",
                    "AttributeKey '" + key + "' is not valid. Valid keys: EventId, EventName, ReadOnly, Username,"
                            + " ResourceType, ResourceName, EventSource, AccessKeyId.");
        }
        String value = member(a, "AttributeValue");
        if (value.isEmpty() || value.length() > 2000) {
            throw new LookupError(
                    "InvalidLookupAttributesException", "AttributeValue must be 1 to 2000 characters long.");
        }
        if (parsed == LookupQuery.Key.ReadOnly && !value.equals("true") && !value.equals("false")) {
            throw new LookupError("InvalidLookupAttributesException", "ReadOnly must be true or false.");
        }
        return new LookupQuery.Attribute(parsed, value);
    }

    /** A lookup attribute's string member ("" when absent); another JSON type is a SerializationException. */
    private static String member(JsonNode attribute, String name) {
        JsonNode v = attribute.get(name);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new LookupError("SerializationException", "LookupAttributes[0]." + name + " must be a string.");
        }
        return v.textValue();
    }

    private static Instant time(JsonNode root, String field, Instant fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new LookupError("InvalidTimeRangeException", field + " must be a timestamp.");
        }
        return Instant.ofEpochMilli(Math.round(v.doubleValue() * 1000));
    }

    private static long decodeToken(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (!decoded.startsWith("seq:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(decoded.substring(4));
        } catch (IllegalArgumentException e) {
            throw new LookupError("InvalidNextTokenException", "The NextToken is not valid.");
        }
    }

    /** The answer; a full page ({@code limit} events) carries a NextToken to the next. */
    private static HttpResponse render(List<ChainedEntry> events, int limit) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("Events");
        for (ChainedEntry e : events) {
            var a = e.entry();
            ObjectNode n = list.addObject();
            n.put("EventId", a.eventId());
            n.put("EventName", a.eventName());
            n.put("ReadOnly", Boolean.toString(a.readOnly()));
            if (a.accessKeyId() != null) {
                n.put("AccessKeyId", a.accessKeyId());
            }
            n.put("EventTime", a.eventTime().getEpochSecond());
            n.put("EventSource", a.eventSource());
            if (a.username() != null) {
                n.put("Username", a.username());
            }
            ArrayNode resources = n.putArray("Resources");
            if (a.resourceName() != null) {
                resources.addObject().put("ResourceType", a.resourceType()).put("ResourceName", a.resourceName());
            }
            n.put("CloudTrailEvent", a.recordJson());
        }
        if (events.size() == limit) {
            String token = "seq:" + events.get(events.size() - 1).sequence();
            root.put(
                    "NextToken",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.US_ASCII)));
        }
        return HttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "content-type", AMZ_JSON.toString()),
                HttpData.wrap(Json.bytes(root)));
    }

    /** A request CloudTrail would refuse, with its exception name. */
    private static final class LookupError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String type;

        LookupError(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
