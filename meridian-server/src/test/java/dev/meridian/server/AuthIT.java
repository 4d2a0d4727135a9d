package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.meridian.server.auth.AuthSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/** SigV4 verification and bearer API keys, with the real SDK where it can express the case. */
class AuthIT {
    static final String MODEL_PATH = "/model/eu.amazon.nova-2-lite-v1%3A0/converse";
    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static BedrockRuntimeClient client(String accessKey, String secret) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(gateway.server().endpoint()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    static ConverseResponse converse(BedrockRuntimeClient client) {
        return client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText("hi"))
                        .build()));
    }

    static String errorCode(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @Test
    void sigV4_validSignature_isAccepted() {
        try (var c = client(TestGateways.ACCESS_KEY, TestGateways.SECRET_KEY)) {
            assertThat(converse(c).sdkHttpResponse().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sigV4_wrongSecret_isInvalidSignatureException() {
        try (var c = client(TestGateways.ACCESS_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> converse(c))
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidSignatureException"))
                    .satisfies(e ->
                            assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void sigV4_unknownAccessKey_isUnrecognizedClientException() {
        try (var c = client("AKIAUNKNOWN", "whatever")) {
            assertThatThrownBy(() -> converse(c))
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("UnrecognizedClientException"));
        }
    }

    /** Temporary credentials were accepted with their session token ignored; none are ever issued here. */
    @Test
    void sigV4_withASessionToken_isUnrecognizedClientException() {
        try (var c = BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(gateway.server().endpoint()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                                TestGateways.ACCESS_KEY, TestGateways.SECRET_KEY, "a-session-token")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            assertThatThrownBy(() -> converse(c))
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("UnrecognizedClientException"))
                    .satisfies(e ->
                            assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void bearerApiKey_viaTheSdkTokenProvider_isAccepted() {
        try (BedrockRuntimeClient c = BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(gateway.server().endpoint()))
                .region(Region.EU_WEST_1)
                .tokenProvider(StaticTokenProvider.create(() -> AuthSettings.DEMO_API_KEY))
                .authSchemeProvider(params ->
                        java.util.List.of(software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption.builder()
                                .schemeId("smithy.api#httpBearerAuth")
                                .build()))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            ConverseResponse r = converse(c);
            assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bearerApiKey_unknown_isUnrecognizedClientException() {
        AggregatedHttpResponse r = send(post().add("authorization", "Bearer nope"), BODY);
        assertThat(r.status().code()).isEqualTo(403);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("UnrecognizedClientException");
    }

    @Test
    void noCredentials_isMissingAuthenticationToken() {
        AggregatedHttpResponse r = send(post(), BODY);
        assertThat(r.status().code()).isEqualTo(403);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void sigV4_signedTwentyMinutesAgo_isExpired() {
        AggregatedHttpResponse r = send(signed(Instant.now().minus(Duration.ofMinutes(20)), BODY, BODY, false), BODY);
        assertThat(r.status().code()).isEqualTo(403);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
        assertThat(r.contentUtf8()).contains("Signature expired");
    }

    @Test
    void sigV4_signedTenMinutesAgo_isWithinSkew() {
        assertThat(send(signed(Instant.now().minus(Duration.ofMinutes(10)), BODY, BODY, false), BODY)
                        .status()
                        .code())
                .isEqualTo(200);
    }

    @Test
    void sigV4_bodyChangedAfterSigning_isRejected() {
        String tampered = BODY.replace("hi", "ho");
        AggregatedHttpResponse r = send(signed(Instant.now(), BODY, tampered, false), tampered);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
    }

    @Test
    void sigV4_unsignedPayload_isAccepted() {
        assertThat(send(signed(Instant.now(), BODY, BODY, true), BODY).status().code())
                .isEqualTo(200);
    }

    @Test
    void sigV4_wrongService_isRejected() {
        RequestHeadersBuilder h = post().add("x-amz-date", "20260101T000000Z")
                .add(
                        "authorization",
                        "AWS4-HMAC-SHA256 Credential=" + TestGateways.ACCESS_KEY
                                + "/20260101/eu-west-1/s3/aws4_request, " + "SignedHeaders=host;x-amz-date, Signature="
                                + "0".repeat(64));
        assertThat(send(h, BODY).headers().get("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
    }

    /**
     * A client that sends ':' unencoded and signs the path as it sends it (encoded once into the canonical request,
     * as SigV4 prescribes), where the AWS SDKs send %3A and so sign %253A: the verifier's second candidate path.
     */
    @Test
    void sigV4_signedOverThePathAsSent_isAccepted() {
        String path = "/model/eu.amazon.nova-2-lite-v1:0/converse";
        assertThat(send(signed(path, true, Instant.now(), BODY, false), BODY)
                        .status()
                        .code())
                .isEqualTo(200);
    }

    static RequestHeadersBuilder post() {
        return post(MODEL_PATH);
    }

    static RequestHeadersBuilder post(String path) {
        return RequestHeaders.builder(HttpMethod.POST, path).contentType(com.linecorp.armeria.common.MediaType.JSON);
    }

    static AggregatedHttpResponse send(RequestHeadersBuilder headers, String body) {
        return WebClient.of(gateway.server().endpoint())
                .execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }

    /** Signs {@code signedBody} with the SDK signer at {@code at}; the caller may send a different body. */
    static RequestHeadersBuilder signed(Instant at, String signedBody, String sentBody, boolean unsignedPayload) {
        assertThat(sentBody.getBytes(StandardCharsets.UTF_8)).isNotNull();
        return signed(MODEL_PATH, true, at, signedBody, unsignedPayload);
    }

    /** Signs a POST of {@code path}; {@code doubleUrlEncode} as the SDK signer's property of that name. */
    static RequestHeadersBuilder signed(
            String path, boolean doubleUrlEncode, Instant at, String signedBody, boolean unsignedPayload) {
        URI endpoint = URI.create(gateway.server().endpoint());
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(gateway.server().endpoint() + path))
                .putHeader("content-type", "application/json")
                .putHeader("Host", endpoint.getHost() + ":" + endpoint.getPort())
                .build();
        var result = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(TestGateways.ACCESS_KEY, TestGateways.SECRET_KEY))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(signedBody))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, doubleUrlEncode)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        RequestHeadersBuilder h = post(path);
        result.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-type")) {
                values.forEach(v -> h.add(name.toLowerCase(java.util.Locale.ROOT), v));
            }
        });
        return h;
    }
}
