package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.http.Json;
import java.net.URI;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Invocation-log records written through the S3 API (the AWS SDK's S3 client) to a real S3-compatible server
 * (S3Proxy) and read back with the S3 client.
 */
class S3InvocationLoggingIT {

    @Test
    void invocationLog_s3Endpoint_recordsLandInTheBucket() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client reader = S3Client.builder()
                        .endpointOverride(URI.create(s3.endpoint()))
                        .region(Region.EU_WEST_1)
                        .forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            reader.createBucket(b -> b.bucket("eu-west-1-invocations"));
            String yaml = """
                    invocationLogging:
                      kind: s3
                      endpoint: %s
                      accessKeyId: %s
                      secretAccessKey: %s
                    """.formatted(s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
            try (MeridianServer server = TestGateways.start(yaml);
                    BedrockClient control = TestGateways.control(server, "eu-west-1")) {
                assertThat(server.wiring()
                                .config()
                                .governance()
                                .invocationLogs()
                                .toString())
                        .doesNotContain(S3ProxyServer.SECRET_KEY);
                control.putModelInvocationLoggingConfiguration(b -> b.loggingConfig(c -> c.s3Config(
                                s -> s.bucketName("eu-west-1-invocations").keyPrefix("meridian"))
                        .textDataDeliveryEnabled(true)));
                var answer = TestGateways.converseEu(server, "eu-west-1", "into the bucket");
                server.wiring().invocationLogger().flush();

                List<S3Object> objects = reader.listObjectsV2(b -> b.bucket("eu-west-1-invocations")
                                .prefix("meridian/AWSLogs/111122223333/BedrockModelInvocationLogs/eu-west-1/"))
                        .contents();
                assertThat(objects).hasSize(1);
                assertThat(objects.get(0).key()).endsWith(".json.gz");
                JsonNode record;
                try (var in = new GZIPInputStream(reader.getObject(b ->
                        b.bucket("eu-west-1-invocations").key(objects.get(0).key())))) {
                    record = Json.MAPPER.readTree(in);
                }
                assertThat(record.path("requestId").asText())
                        .isEqualTo(answer.responseMetadata().requestId());
                assertThat(record.at("/input/inputBodyJson/messages/0/content/0/text")
                                .asText())
                        .isEqualTo("into the bucket");
                assertThat(record.path("inferenceRegion").asText()).startsWith("eu-");
            }
        }
    }
}
