package dev.meridian.server.invocationlog;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes invocation-log objects to S3 or any S3-compatible store through the AWS SDK's S3 client, one client per
 * source region (signed for that region, so with AWS the bucket is the source region's). With an endpoint
 * override every region's client talks to that endpoint.
 */
public final class S3BucketSink implements BucketSink {
    private final InvocationLogSettings settings;
    private final Map<String, S3Client> clients = new ConcurrentHashMap<>();

    public S3BucketSink(InvocationLogSettings settings) {
        this.settings = settings;
    }

    private S3Client client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var b = S3Client.builder()
                    .region(Region.of(r))
                    .credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.create())
                    .forcePathStyle(settings.pathStyle());
            if (settings.endpoint() != null) {
                b.endpointOverride(URI.create(settings.endpoint()));
            }
            return b.build();
        });
    }

    private AwsCredentialsProvider credentials() {
        if (settings.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }

    @Override
    public void put(String region, String bucket, String key, byte[] body, String contentType) {
        client(region).putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
    }

    @Override
    public void close() {
        clients.values().forEach(S3Client::close);
    }
}
