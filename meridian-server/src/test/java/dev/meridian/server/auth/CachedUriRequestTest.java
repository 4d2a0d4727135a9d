package dev.meridian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;

/** The wrapper changes how often the URI is built, never what the AWS SDK canonicalises. */
class CachedUriRequestTest {
    private final CachedUriRequest.Uris uris = new CachedUriRequest.Uris();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/model/eu.amazon.nova-2-lite-v1%3A0/converse",
                "/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Aapplication-inference-profile%2Fabc/converse",
                "/a/./b/../c/",
                "/foundation-models",
                "/"
            })
    void canonicalRequest_isTheSdkRequestsOwn_firstAndSecondTime(String path) {
        SdkHttpRequest plain = request(path, false);

        for (int i = 0; i < 2; i++) { // the second time the URI comes from the cache
            SdkHttpRequest cached = new CachedUriRequest(request(path, false), uris);
            assertThat(cached.getUri()).isEqualTo(plain.getUri());
            assertThat(canonical(cached)).isEqualTo(canonical(plain));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/inference-profiles", "/listTagsForResource"})
    void withAQuery_theUriIsStillTheRequestsOwn(String path) {
        SdkHttpRequest plain = request(path, true);
        SdkHttpRequest cached = new CachedUriRequest(request(path, true), uris);

        assertThat(cached.getUri()).isEqualTo(plain.getUri());
        assertThat(canonical(cached)).isEqualTo(canonical(plain));
    }

    private static SdkHttpRequest request(String path, boolean query) {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol("https")
                .host("gateway.invalid")
                .encodedPath(path)
                .putHeader("Host", "127.0.0.1:8080")
                .putHeader("x-amz-date", "20261126T120000Z");
        if (query) {
            b.appendRawQueryParameter("maxResults", "10").appendRawQueryParameter("nextToken", "a b/c");
        }
        return b.build();
    }

    private static String canonical(SdkHttpRequest request) {
        return new V4CanonicalRequest(request, "UNSIGNED-PAYLOAD", new V4CanonicalRequest.Options(true, true))
                .getCanonicalRequestString();
    }
}
