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
 * The control plane and CloudTrail's LookupEvents through the running server: every member of a valid request
 * given a value of another JSON type is refused with a 400, never read as text or skipped (the runtime bodies'
 * twins are {@code ChatCompletionsTypeTest} and {@code NativeAndConverseTypeTest}).
 */
class ControlPlaneTypeIT {
    static final String FOUNDATION_MODEL_ARN = "arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-2-lite-v1:0";
    static final String CREATE = "{\"inferenceProfileName\": \"typed\", \"description\": \"d\","
            + " \"clientRequestToken\": \"t1\", \"modelSource\": {\"copyFrom\": \"" + FOUNDATION_MODEL_ARN + "\"},"
            + " \"tags\": [{\"key\": \"k\", \"value\": \"v\"}]}";
    static final String LOOKUP = "{\"LookupAttributes\": [{\"AttributeKey\": \"EventName\", \"AttributeValue\":"
            + " \"Converse\"}], \"StartTime\": 1700000000, \"EndTime\": 1900000000, \"MaxResults\": 5,"
            + " \"EventCategory\": \"insight\"}";

    static MeridianServer server;
    static WebClient client;

    @BeforeAll
    static void start() {
        server = TestGateways.start("");
        client = WebClient.of(server.endpoint());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> mutations() {
        return Stream.concat(
                TypeMutations.of(CREATE).stream().map(m -> Arguments.of("/inference-profiles", m)),
                TypeMutations.of(LOOKUP).stream().map(m -> Arguments.of("/", m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mutations")
    void aMemberOfAnotherType_isRefused(String path, TypeMutations.Mutation m) {
        AggregatedHttpResponse r =
                post(path, new String(Json.bytes(m.body()), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status().code())
                .as("%s %s answered %s", path, m, r.contentUtf8())
                .isEqualTo(400);
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
