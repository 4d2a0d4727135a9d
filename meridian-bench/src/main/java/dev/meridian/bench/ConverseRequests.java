package dev.meridian.bench;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.meridian.server.auth.AuthSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Headers for Bedrock Converse calls the way AWS clients send them: with a Bedrock API key ({@code Authorization:
 * Bearer}) or signed with SigV4 by the AWS SDK's own signer, with the demo credentials of the embedded default.
 */
final class ConverseRequests {
    /** The region the SigV4 credential scope names: the caller's source region. */
    static final String SOURCE_REGION = "eu-central-1";

    private ConverseRequests() {}

    /** The path of Converse (or ConverseStream) for {@code modelId}, percent-encoded as the AWS SDKs send it. */
    static String path(String modelId, boolean stream) {
        return "/model/" + URLEncoder.encode(modelId, StandardCharsets.UTF_8)
                + (stream ? "/converse-stream" : "/converse");
    }

    /** A call with the demo Bedrock API key. */
    static RequestHeaders bearer(String path) {
        return post(path)
                .add("authorization", "Bearer " + AuthSettings.DEMO_API_KEY)
                .build();
    }

    /**
     * A call signed with SigV4 (service {@code bedrock}, payload signed) for {@code body}, sent to the gateway on
     * loopback {@code port}; the signature holds within the gateway's clock-skew window (15 minutes by default).
     */
    static RequestHeaders sigV4(String path, int port, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + port + path))
                .putHeader("content-type", MediaType.JSON.toString())
                .build();
        var signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(
                                AuthSettings.DEMO_ACCESS_KEY.accessKeyId(),
                                AuthSettings.DEMO_ACCESS_KEY.secretAccessKey()))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SOURCE_REGION));
        RequestHeadersBuilder headers = post(path);
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-type")) {
                values.forEach(v -> headers.add(name.toLowerCase(Locale.ROOT), v));
            }
        });
        return headers.build();
    }

    private static RequestHeadersBuilder post(String path) {
        return RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.JSON);
    }
}
