package dev.meridian.server;

import dev.meridian.server.config.MeridianConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * Builds the AWS SDK async client of a Bedrock destination: signed for the destination region (so a Meridian peer
 * treats the call as made in its own region), the default credentials chain unless a static key is configured,
 * and no SDK retries (the router fails over instead).
 */
final class BedrockClients {
    private BedrockClients() {}

    static BedrockRuntimeAsyncClient forDestination(MeridianConfig.Upstream u) {
        AwsCredentialsProvider credentials = u.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(u.accessKeyId(), u.secretAccessKey()));
        var builder = BedrockRuntimeAsyncClient.builder()
                .region(Region.of(u.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(http(u))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
        if (u.baseUrl() != null) {
            builder.endpointOverride(u.baseUrl());
        }
        return builder.build();
    }

    private static NettyNioAsyncHttpClient.Builder http(MeridianConfig.Upstream u) {
        NettyNioAsyncHttpClient.Builder http =
                NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(5));
        if (u.tls() != null) {
            var keys = u.tls().keyManagers();
            var trust = u.tls().trustManagers();
            if (keys != null) {
                http.tlsKeyManagersProvider(keys::getKeyManagers);
            }
            if (trust != null) {
                http.tlsTrustManagersProvider(trust::getTrustManagers);
            }
        }
        return http;
    }
}
