package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.TypeMutations;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control plane (CreateInferenceProfile, TagResource, UntagResource, PutModelInvocationLoggingConfiguration) and
 * CloudTrail's LookupEvents through the running server: every member of a valid request
 * given a value of another JSON type is refused with a 400, never read as text or skipped (the runtime bodies'
 * twins are {@code ChatCompletionsTypeTest} and {@code NativeAndConverseTypeTest}).
 */
class ControlPlaneTypeIT {
    static final String CREATE = "{\"inferenceProfileName\": \"typed\", \"description\": \"d\","
            + " \"clientRequestToken\": \"t1\", \"modelSource\": {\"copyFrom\": \"" + BadInputIT.FOUNDATION_MODEL_ARN
            + "\"},"
            + " \"tags\": [{\"key\": \"k\", \"value\": \"v\"}]}";
    static final String LOOKUP = "{\"LookupAttributes\": [{\"AttributeKey\": \"EventName\", \"AttributeValue\":"
            + " \"Converse\"}], \"StartTime\": 1700000000, \"EndTime\": 1900000000, \"MaxResults\": 5,"
            + " \"EventCategory\": \"insight\"}";

    static final String LOGGING =
            "{\"loggingConfig\": {\"s3Config\": {\"bucketName\": \"my-bucket\", \"keyPrefix\": \"p\"},"
                    + " \"cloudWatchConfig\": {\"logGroupName\": \"g\", \"roleArn\": \"arn:aws:iam::111122223333:role/r\","
                    + " \"largeDataDeliveryS3Config\": {\"bucketName\": \"big-bucket\", \"keyPrefix\": \"l\"}},"
                    + " \"textDataDeliveryEnabled\": true, \"imageDataDeliveryEnabled\": false,"
                    + " \"embeddingDataDeliveryEnabled\": true, \"videoDataDeliveryEnabled\": true}}";

    static MeridianServer server;
    static WebClient client;
    static String taggedArn;

    @BeforeAll
    static void start() {
        server = TestGateways.start("");
        client = WebClient.of(server.endpoint());
        taggedArn = BadInputIT.createProfile(client, "tagged");
        assertThat(post("/tagResource", tagBody()).status().code()).isEqualTo(200);
        assertThat(post("/untagResource", untagBody()).status().code()).isEqualTo(200);
        assertThat(put("/logging/modelinvocations", LOGGING).status().code()).isEqualTo(200);
    }

    static String tagBody() {
        return "{\"resourceARN\": \"" + taggedArn + "\", \"tags\": [{\"key\": \"k\", \"value\": \"v\"}]}";
    }

    static String untagBody() {
        return "{\"resourceARN\": \"" + taggedArn + "\", \"tagKeys\": [\"k\"]}";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                        TypeMutations.of(CREATE).stream().map(m -> Arguments.of("/inference-profiles", m)),
                        TypeMutations.of(LOOKUP).stream().map(m -> Arguments.of("/", m)),
                        TypeMutations.of(LOGGING).stream().map(m -> Arguments.of("PUT /logging/modelinvocations", m)),
                        // the ARN is filled in once the server has made the profile: a placeholder of the same shape
                        TypeMutations.of(tagBodyShape()).stream().map(m -> Arguments.of("/tagResource", m)),
                        TypeMutations.of(untagBodyShape()).stream().map(m -> Arguments.of("/untagResource", m)))
                .flatMap(s -> s);
    }

    static String tagBodyShape() {
        return "{\"resourceARN\": \"ARN\", \"tags\": [{\"key\": \"k\", \"value\": \"v\"}]}";
    }

    static String untagBodyShape() {
        return "{\"resourceARN\": \"ARN\", \"tagKeys\": [\"k\"]}";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mutations")
    void aMemberOfAnotherType_isRefused(String path, TypeMutations.Mutation m) {
        String body = new String(Json.bytes(m.body()), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"ARN\"", "\"" + taggedArn + "\"");
        AggregatedHttpResponse r = path.startsWith("PUT ") ? put(path.substring(4), body) : post(path, body);
        assertThat(r.status().code())
                .as("%s %s answered %s", path, m, r.contentUtf8())
                .isEqualTo(400);
    }

    static AggregatedHttpResponse put(String path, String body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.PUT, path)
                .add("authorization", BadInputIT.BEARER)
                .contentType(MediaType.JSON)
                .build();
        return client.execute(HttpRequest.of(headers, HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }

    static AggregatedHttpResponse post(String path, String body) {
        com.linecorp.armeria.common.RequestHeadersBuilder headers =
                RequestHeaders.builder(HttpMethod.POST, path).add("authorization", BadInputIT.BEARER);
        if (path.equals("/")) {
            headers.contentType(MediaType.parse("application/x-amz-json-1.1"))
                    .add("x-amz-target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
        } else {
            headers.contentType(MediaType.JSON);
        }
        return client.execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }
}
