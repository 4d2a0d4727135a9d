package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.audit.ChainVerifier;
import dev.meridian.server.http.Json;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * The audit trail as a compliance officer reads it: with the AWS SDK for Java v2 {@code CloudTrailClient}
 * pointed at the gateway, one CloudTrail-shaped event per call, in the caller's source region only, metadata
 * only, with the processing region. Run on the embedded store ({@link AuditTrailIT}) and on PostgreSQL
 * ({@link PostgresAuditTrailIT}).
 */
abstract class AuditTrailSuite {

    /** The gateway under test, started by the subclass on its store. */
    abstract MeridianServer server();

    List<Event> lookup(String region, LookupAttributeKey key, String value) {
        try (CloudTrailClient ct = TestGateways.cloudTrail(server(), region)) {
            return ct.lookupEvents(
                            b -> b.lookupAttributes(a -> a.attributeKey(key).attributeValue(value)))
                    .events();
        }
    }

    /** The {@code eventName} event of the call answered with {@code requestId}, looked up in {@code region}. */
    Event eventOf(String region, String eventName, String requestId) {
        return lookup(region, LookupAttributeKey.EVENT_NAME, eventName).stream()
                .filter(e -> e.cloudTrailEvent().contains(requestId))
                .findFirst()
                .orElseThrow();
    }

    static JsonNode record(Event e) throws Exception {
        return Json.MAPPER.readTree(e.cloudTrailEvent());
    }

    @Test
    void converse_recorded_inSourceRegionWithProcessingRegionAndNoContent() throws Exception {
        String secret = "my card number is 4111-1111-1111-1111";
        ConverseResponse answer = TestGateways.converseEu(server(), "eu-west-1", secret);
        String requestId = answer.responseMetadata().requestId();
        String processedIn = answer.sdkHttpResponse()
                .firstMatchingHeader("x-meridian-inference-region")
                .orElseThrow();

        Event event = eventOf("eu-west-1", "Converse", requestId);
        JsonNode r = record(event);
        assertThat(r.path("eventVersion").asText()).isEqualTo("1.09");
        assertThat(r.path("eventSource").asText()).isEqualTo("bedrock.amazonaws.com");
        assertThat(r.path("eventName").asText()).isEqualTo("Converse");
        assertThat(r.path("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(r.path("requestID").asText()).isEqualTo(requestId);
        assertThat(r.path("additionalEventData").path("inferenceRegion").asText())
                .isEqualTo(processedIn);
        assertThat(r.path("additionalEventData").has("attemptedRegions"))
                .as("answered where first tried")
                .isFalse();
        assertThat(r.path("requestParameters").path("modelId").asText()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
        assertThat(r.path("userIdentity").path("accessKeyId").asText()).isEqualTo(TestGateways.ACCESS_KEY);
        assertThat(r.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::111122223333:user/demo");
        assertThat(r.path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(r.path("userAgent").asText()).contains("aws-sdk-java");
        assertThat(r.path("readOnly").asBoolean()).isFalse();
        assertThat(r.path("eventID").asText()).isEqualTo(event.eventId());
        assertThat(event.username()).isEqualTo("demo");
        assertThat(event.readOnly()).isEqualTo("false");
        assertThat(event.resources()).singleElement().satisfies(res -> {
            assertThat(res.resourceName()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
        });
        assertThat(event.cloudTrailEvent()).doesNotContain("4111").doesNotContain("card number");
        String answerText = answer.output().message().content().get(0).text();
        assertThat(event.cloudTrailEvent()).doesNotContain(answerText);

        assertThat(lookup("eu-central-1", LookupAttributeKey.EVENT_ID, event.eventId()))
                .as("a region's events are not visible from another source region")
                .isEmpty();
        assertThat(lookup("eu-west-1", LookupAttributeKey.EVENT_ID, event.eventId()))
                .singleElement()
                .extracting(Event::eventId)
                .isEqualTo(event.eventId());
    }

    @Test
    void countTokens_recorded_inSourceRegionWithWhereItWasCountedAndNoContent() throws Exception {
        String secret = "count my IBAN DE89370400440532013000";
        CountTokensResponse counted;
        try (BedrockRuntimeClient client = TestGateways.runtime(server(), "eu-west-3")) {
            counted = client.countTokens(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .input(i -> i.converse(c -> c.messages(ToolUseIT.user(secret)))));
        }
        String requestId = counted.responseMetadata().requestId();
        Event event = eventOf("eu-west-3", "CountTokens", requestId);
        JsonNode r = record(event);
        assertThat(r.path("eventSource").asText()).isEqualTo("bedrock.amazonaws.com");
        assertThat(r.path("awsRegion").asText()).isEqualTo("eu-west-3");
        assertThat(r.path("additionalEventData").path("inferenceRegion").asText())
                .isEqualTo(counted.sdkHttpResponse()
                        .firstMatchingHeader("x-meridian-inference-region")
                        .orElseThrow());
        assertThat(r.path("requestParameters").path("modelId").asText()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
        assertThat(event.cloudTrailEvent()).doesNotContain("IBAN").doesNotContain("DE89");
    }

    /**
     * A request the gateway sent to destinations that did not answer it records them, in order
     * ({@code attemptedRegions}): the prompt left for each, within the allowed set, and the trail says so. A region
     * that refused the connection received nothing and is not named there (the error message still says it was down).
     */
    @Test
    void aRequestNoDestinationAnswered_recordsEveryRegionItWasSentTo() throws Exception {
        List<String> down = List.of("eu-central-1", "eu-west-1", "eu-north-1");
        List<String> full = List.of("eu-west-3", "eu-south-1", "eu-south-2"); // they answer 429: the prompt got there
        down.forEach(r -> server().wiring().simulator().setDown(r, true));
        full.forEach(r -> server().wiring().simulator().setCapacity(r, 0));
        BedrockRuntimeException refused;
        try {
            refused = catchThrowableOfType(
                    BedrockRuntimeException.class,
                    () -> TestGateways.converseEu(server(), "eu-west-1", "is anybody there?"));
        } finally {
            down.forEach(r -> server().wiring().simulator().setDown(r, false));
            full.forEach(r -> server().wiring().simulator().setCapacity(r, null));
        }
        assertThat(refused.statusCode()).isEqualTo(503); // four attempts: both kinds among them
        JsonNode r = record(eventOf("eu-west-1", "Converse", refused.requestId()));
        assertThat(r.path("errorCode").asText()).isEqualTo("ServiceUnavailableException");
        assertThat(r.at("/additionalEventData/inferenceRegion").isMissingNode()).isTrue();
        List<String> sentTo = new java.util.ArrayList<>();
        r.at("/additionalEventData/attemptedRegions").forEach(n -> sentTo.add(n.asText()));
        String trail = r.path("errorMessage").asText();
        List<String> throttled = full.stream()
                .filter(region -> trail.contains(region + " (throttled"))
                .toList();
        assertThat(throttled).isNotEmpty();
        assertThat(sentTo).containsExactlyInAnyOrderElementsOf(throttled);
        assertThat(down.stream().filter(region -> trail.contains(region + " (down")))
                .isNotEmpty();
    }

    @Test
    void streamsErrorsAndControlPlane_recorded_withTheirDetails() throws Exception {
        TestGateways.streamEu(server(), "eu-north-1", "stream me");
        try (BedrockRuntimeClient client = TestGateways.runtime(server(), "eu-north-1")) {
            assertThatThrownBy(() -> client.converse(b -> b.modelId("no-such-model")
                            .messages(m -> m.role("user").content(c -> c.text("hi")))))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        String createdArn;
        try (var control = TestGateways.control(server(), "eu-north-1")) {
            control.listInferenceProfiles(b -> {});
            createdArn = control.createInferenceProfile(
                            b -> b.inferenceProfileName("audited-" + System.nanoTime())
                                    .modelSource(
                                            m -> m.copyFrom(
                                                    "arn:aws:bedrock:eu-north-1:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0")))
                    .inferenceProfileArn();
        }
        JsonNode create = record(lookup("eu-north-1", LookupAttributeKey.EVENT_NAME, "CreateInferenceProfile")
                .get(0));
        assertThat(create.path("readOnly").asBoolean()).isFalse();
        assertThat(create.at("/requestParameters/inferenceProfileName").asText())
                .startsWith("audited-");
        assertThat(create.at("/responseElements/inferenceProfileArn").asText()).isEqualTo(createdArn);
        JsonNode stream = record(lookup("eu-north-1", LookupAttributeKey.EVENT_NAME, "ConverseStream")
                .get(0));
        assertThat(stream.path("additionalEventData").path("inferenceRegion").asText())
                .startsWith("eu-");
        JsonNode failed = record(lookup("eu-north-1", LookupAttributeKey.RESOURCE_NAME, "no-such-model")
                .get(0));
        assertThat(failed.path("errorCode").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(failed.path("errorMessage").asText()).isNotBlank();
        assertThat(failed.has("additionalEventData")).isFalse();
        Event list = lookup("eu-north-1", LookupAttributeKey.EVENT_NAME, "ListInferenceProfiles")
                .get(0);
        assertThat(list.readOnly()).isEqualTo("true");
        assertThat(lookup("eu-north-1", LookupAttributeKey.READ_ONLY, "true"))
                .extracting(Event::eventName)
                .contains("ListInferenceProfiles");
    }

    @Test
    void lookupEvents_pagination_newestFirst() {
        for (int i = 0; i < 7; i++) {
            TestGateways.converseEu(server(), "eu-south-1", "page " + i);
        }
        Set<String> ids = new HashSet<>();
        String token = null;
        int pages = 0;
        try (CloudTrailClient ct = TestGateways.cloudTrail(server(), "eu-south-1")) {
            do {
                String next = token;
                LookupEventsResponse page = ct.lookupEvents(b -> b.maxResults(3)
                        .nextToken(next)
                        .lookupAttributes(a ->
                                a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("Converse")));
                assertThat(page.events()).hasSizeLessThanOrEqualTo(3);
                for (int i = 1; i < page.events().size(); i++) {
                    assertThat(page.events().get(i - 1).eventTime())
                            .isAfterOrEqualTo(page.events().get(i).eventTime());
                }
                page.events().forEach(e -> assertThat(ids.add(e.eventId())).isTrue());
                token = page.nextToken();
                pages++;
            } while (token != null);
        }
        assertThat(ids).hasSize(7);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void lookupEvents_timeRange_selectsEvents() {
        TestGateways.converseEu(server(), "eu-west-2", "time");
        try (CloudTrailClient ct = TestGateways.cloudTrail(server(), "eu-west-2")) {
            Instant now = Instant.now();
            assertThat(ct.lookupEvents(b -> b.startTime(now.minusSeconds(300)).endTime(now.plusSeconds(5)))
                            .events())
                    .isNotEmpty();
            assertThat(ct.lookupEvents(b -> b.startTime(now.minusSeconds(7200)).endTime(now.minusSeconds(3600)))
                            .events())
                    .isEmpty();
        }
    }

    @Test
    void lookupEvents_badInput_getsCloudTrailsExceptions() {
        try (CloudTrailClient ct = TestGateways.cloudTrail(server(), "eu-west-1")) {
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.lookupAttributes(
                            a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("Converse"),
                            a -> a.attributeKey(LookupAttributeKey.USERNAME).attributeValue("demo"))))
                    .isInstanceOf(InvalidLookupAttributesException.class)
                    .hasMessageContaining("only one");
            assertThatThrownBy(() -> ct.lookupEvents(
                            b -> b.lookupAttributes(a -> a.attributeKey("Bogus").attributeValue("x"))))
                    .isInstanceOf(InvalidLookupAttributesException.class)
                    .hasMessageContaining("Bogus");
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.lookupAttributes(
                            a -> a.attributeKey(LookupAttributeKey.READ_ONLY).attributeValue("maybe"))))
                    .isInstanceOf(InvalidLookupAttributesException.class);
            Instant now = Instant.now();
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.startTime(now).endTime(now.minusSeconds(60))))
                    .isInstanceOf(InvalidTimeRangeException.class);
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.maxResults(51)))
                    .isInstanceOf(InvalidMaxResultsException.class);
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.nextToken("not-a-token")))
                    .isInstanceOf(InvalidNextTokenException.class);
            assertThatThrownBy(() -> ct.lookupEvents(b -> b.eventCategory("bogus")))
                    .isInstanceOf(software.amazon.awssdk.services.cloudtrail.model.InvalidEventCategoryException.class);
        }
    }

    /** The gateway records management events only; asking for Insights events finds none (it used to ignore it). */
    @Test
    void lookupEvents_insightCategory_findsNothing() {
        try (CloudTrailClient ct = TestGateways.cloudTrail(server(), "eu-west-1")) {
            ct.lookupEvents(b -> {}); // itself audited, durably before it answers, so the next lookup finds it
            assertThat(ct.lookupEvents(b -> {}).events()).isNotEmpty();
            assertThat(ct.lookupEvents(b -> b.eventCategory(
                                    software.amazon.awssdk.services.cloudtrail.model.EventCategory.INSIGHT))
                            .events())
                    .isEmpty();
        }
    }

    @Test
    void verify_afterTraffic_intactAndExposedAsMetrics() {
        TestGateways.converseEu(server(), "eu-west-1", "verify");
        ChainVerifier.Report report = server().wiring()
                .audit()
                .read("eu-west-1", ChainVerifier::verify)
                .join();
        assertThat(report.problems()).isEmpty();
        assertThat(report.events()).isPositive();
        String metrics = server().wiring().metrics().scrape();
        assertThat(metrics)
                .contains("meridian_audit_store_up{source_region=\"eu-west-1\"} 1.0")
                .containsPattern("meridian_audit_events_total\\{source_region=\"eu-west-1\"\\} [1-9]")
                .contains("meridian_audit_commit_failures_total{source_region=\"eu-west-1\"} 0.0")
                .contains("meridian_audit_backlog{source_region=\"eu-west-1\"} 0.0"); // the read above waited
    }
}
