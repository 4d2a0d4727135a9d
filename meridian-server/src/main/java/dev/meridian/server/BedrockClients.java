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
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
        if (u.baseUrl() != null) {
            builder.endpointOverride(u.baseUrl());
        }
        return builder.build();
    }
}
