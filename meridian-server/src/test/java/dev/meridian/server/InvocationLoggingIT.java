package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationLoggingConfigurationResponse;
import software.amazon.awssdk.services.bedrock.model.ValidationException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * Model invocation logging through the real BedrockClient: off by default; once configured for a source region,
 * one record per invocation in Bedrock's schema in that region's bucket (local directories in S3 key layout)
 * and log group (JSON lines), streams with the assembled answer, large bodies as separate objects.
 */
class InvocationLoggingIT {

    static void configure(BedrockClient control, String bucket) {
        control.putModelInvocationLoggingConfiguration(b ->
                b.loggingConfig(c -> c.s3Config(s -> s.bucketName(bucket).keyPrefix("team-a"))
                        .cloudWatchConfig(w ->
                                w.logGroupName("/meridian/invocations").roleArn("arn:aws:iam::111122223333:role/logs"))
                        .textDataDeliveryEnabled(true)
                        .imageDataDeliveryEnabled(false)));
    }

    static List<JsonNode> bucketRecords(Path bucket) throws IOException {
        if (!Files.exists(bucket)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(bucket)) {
            return files.filter(f -> f.toString().endsWith(".json.gz"))
                    .sorted()
                    .map(InvocationLoggingIT::gunzip)
                    .toList();
        }
    }

    static JsonNode gunzip(Path f) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A configuration outlives a restart. It did not: the store kept it in the shape GetModelInvocationLogging-
     * Configuration answers, start-up read it as a Put request, found no {@code loggingConfig} member and logged
     * it as unreadable, so invocation logging was silently off after every restart.
     */
    @Test
    void configuration_survivesARestart() throws Exception {
        MeridianConfig config = TestGateways.config("");
        try (MeridianServer server = MeridianServer.start(config);
                BedrockClient control = TestGateways.control(server, "eu-west-1")) {
            configure(control, "meridian-logs");
        }
        try (MeridianServer restarted = MeridianServer.start(config.withPort(0));
                BedrockClient control = TestGateways.control(restarted, "eu-west-1")) {
            var got = control.getModelInvocationLoggingConfiguration(b -> {}).loggingConfig();
            assertThat(got).as("configuration after the restart").isNotNull();
            assertThat(got.s3Config().bucketName()).isEqualTo("meridian-logs");
            assertThat(got.s3Config().keyPrefix()).isEqualTo("team-a");
            assertThat(got.cloudWatchConfig().logGroupName()).isEqualTo("/meridian/invocations");
            assertThat(got.imageDataDeliveryEnabled()).isFalse();
            TestGateways.converseEu(restarted, "eu-west-1", "logged after the restart");
            restarted.wiring().invocationLogger().flush();
            Path data = restarted.wiring().config().server().dataDirectory();
            assertThat(bucketRecords(data.resolve("buckets/eu-west-1/meridian-logs")))
                    .hasSize(1);
        }
    }

    @Test
    void invocationLog_configuredRegion_recordsEveryInvocation() throws Exception {
        try (MeridianServer server = TestGateways.start();
                BedrockClient control = TestGateways.control(server, "eu-west-1")) {
            Path data = server.wiring().config().server().dataDirectory();
            GetModelInvocationLoggingConfigurationResponse none =
                    control.getModelInvocationLoggingConfiguration(b -> {});
            assertThat(none.loggingConfig()).isNull();
            TestGateways.converseEu(server, "eu-west-1", "before logging");

            configure(control, "meridian-logs");
            var got = control.getModelInvocationLoggingConfiguration(b -> {}).loggingConfig();
            assertThat(got.s3Config().bucketName()).isEqualTo("meridian-logs");
            assertThat(got.s3Config().keyPrefix()).isEqualTo("team-a");
            assertThat(got.cloudWatchConfig().logGroupName()).isEqualTo("/meridian/invocations");
            assertThat(got.imageDataDeliveryEnabled()).isFalse();

            var answer = TestGateways.converseEu(server, "eu-west-1", "please log me");
            List<ConverseStreamOutput> stream = TestGateways.streamEu(server, "eu-west-1", "stream me too");
            String streamed = stream.stream()
                    .filter(e -> e instanceof ContentBlockDeltaEvent)
                    .map(e -> ((ContentBlockDeltaEvent) e).delta().text())
                    .filter(t -> t != null)
                    .collect(Collectors.joining());
            try (BedrockRuntimeClient runtime = TestGateways.runtime(server, "eu-west-1")) {
                runtime.invokeModel(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                        .body(SdkBytes.fromUtf8String(
                                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"native\"}]}]}")));
            }
            TestGateways.converseEu(server, "eu-central-1", "another source region, not configured");
            server.wiring().invocationLogger().flush();

            Path bucket = data.resolve("buckets/eu-west-1/meridian-logs");
            List<JsonNode> records = bucketRecords(bucket);
            assertThat(records)
                    .extracting(r -> r.path("operation").asText())
                    .containsExactlyInAnyOrder("Converse", "ConverseStream", "InvokeModel");
            assertThat(bucketRecords(data.resolve("buckets/eu-central-1"))).isEmpty();
            try (Stream<Path> files = Files.walk(bucket)) {
                assertThat(files.filter(Files::isRegularFile)
                                .map(bucket::relativize)
                                .map(Path::toString))
                        .allMatch(
                                k -> k.startsWith("team-a/AWSLogs/111122223333/BedrockModelInvocationLogs/eu-west-1/"));
            }

            JsonNode converse = records.stream()
                    .filter(r -> r.path("operation").asText().equals("Converse"))
                    .findFirst()
                    .orElseThrow();
            assertThat(converse.path("schemaType").asText()).isEqualTo("ModelInvocationLog");
            assertThat(converse.path("schemaVersion").asText()).isEqualTo("1.0");
            assertThat(converse.path("accountId").asText()).isEqualTo("111122223333");
            assertThat(converse.path("region").asText()).isEqualTo("eu-west-1");
            assertThat(converse.path("requestId").asText())
                    .isEqualTo(answer.responseMetadata().requestId());
            assertThat(converse.path("modelId").asText()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
            assertThat(converse.path("identity").path("arn").asText()).endsWith(":user/demo");
            assertThat(converse.path("inferenceRegion").asText())
                    .isEqualTo(answer.sdkHttpResponse()
                            .firstMatchingHeader("x-meridian-inference-region")
                            .orElseThrow());
            assertThat(converse.at("/input/inputBodyJson/messages/0/content/0/text")
                            .asText())
                    .isEqualTo("please log me");
            assertThat(converse.at("/output/outputBodyJson/output/message/content/0/text")
                            .asText())
                    .isEqualTo(answer.output().message().content().get(0).text());
            assertThat(converse.at("/input/inputTokenCount").asInt())
                    .isEqualTo(answer.usage().inputTokens());
            assertThat(converse.at("/output/outputTokenCount").asInt())
                    .isEqualTo(answer.usage().outputTokens());

            JsonNode streamRecord = records.stream()
                    .filter(r -> r.path("operation").asText().equals("ConverseStream"))
                    .findFirst()
                    .orElseThrow();
            assertThat(streamRecord
                            .at("/output/outputBodyJson/output/message/content/0/text")
                            .asText())
                    .as("the stream is logged with its assembled answer")
                    .isEqualTo(streamed);
            assertThat(streamRecord.at("/output/outputTokenCount").asInt()).isPositive();

            Path lines = data.resolve("invocation-logs/eu-west-1/meridian/invocations/aws/bedrock/modelinvocations");
            try (Stream<Path> files = Files.list(lines)) {
                List<String> all = files.flatMap(f -> {
                            try {
                                return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .toList();
                assertThat(all).hasSize(3);
            }

            control.deleteModelInvocationLoggingConfiguration(b -> {});
            assertThat(control.getModelInvocationLoggingConfiguration(b -> {}).loggingConfig())
                    .isNull();
            TestGateways.converseEu(server, "eu-west-1", "after logging");
            server.wiring().invocationLogger().flush();
            assertThat(bucketRecords(bucket)).hasSize(3);
        }
    }

    @Test
    void invocationLog_largeBody_goesToItsOwnObject() throws Exception {
        try (MeridianServer server = TestGateways.start();
                BedrockClient control = TestGateways.control(server, "eu-west-3")) {
            configure(control, "big-logs");
            String large = "x".repeat(150_000);
            TestGateways.converseEu(server, "eu-west-3", large);
            server.wiring().invocationLogger().flush();
            Path bucket = server.wiring().config().server().dataDirectory().resolve("buckets/eu-west-3/big-logs");
            JsonNode record = bucketRecords(bucket).get(0);
            assertThat(record.path("input").has("inputBodyJson")).isFalse();
            String path = record.at("/input/inputBodyS3Path").asText();
            assertThat(path).startsWith("s3://big-logs/team-a/AWSLogs/111122223333/BedrockModelInvocationLogs/");
            Path object = bucket.resolve(path.substring("s3://big-logs/".length()));
            assertThat(Json.MAPPER
                            .readTree(object.toFile())
                            .at("/messages/0/content/0/text")
                            .asText())
                    .isEqualTo(large);
        }
    }

    /**
     * The caller's labels (Converse's requestMetadata, OpenAI's metadata) are in the record's top-level
     * {@code requestMetadata}, as Bedrock logs them for filtering; a call without labels has none.
     */
    @Test
    void invocationLog_recordsTheCallersRequestMetadata_fromBothSurfaces() throws Exception {
        try (MeridianServer server = TestGateways.start();
                BedrockClient control = TestGateways.control(server, "eu-central-1");
                BedrockRuntimeClient runtime = TestGateways.runtime(server, "eu-central-1")) {
            configure(control, "labelled");
            var converse = runtime.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(ToolUseIT.user("labelled converse"))
                    .requestMetadata(Map.of("team", "risk", "costCenter", "cc-42")));
            var chat = TestGateways.openAi(server, dev.meridian.server.auth.AuthSettings.DEMO_API_KEY)
                    .chat()
                    .completions()
                    .create(OpenAiSdkIT.ask("eu.amazon.nova-2-lite-v1:0").toBuilder()
                            .metadata(com.openai.models.chat.completions.ChatCompletionCreateParams.Metadata.builder()
                                    .putAdditionalProperty("team", com.openai.core.JsonValue.from("fraud"))
                                    .build())
                            .build());
            TestGateways.converseEu(server, "eu-central-1", "no labels");
            server.wiring().invocationLogger().flush();

            Map<String, JsonNode> byRequest =
                    bucketRecords(server.wiring()
                                    .config()
                                    .server()
                                    .dataDirectory()
                                    .resolve("buckets/eu-central-1/labelled"))
                            .stream()
                            .collect(Collectors.toMap(r -> r.path("requestId").asText(), r -> r));
            assertThat(byRequest).hasSize(3);
            assertThat(byRequest.get(converse.responseMetadata().requestId()).path("requestMetadata"))
                    .isEqualTo(Json.MAPPER.readTree("{\"costCenter\": \"cc-42\", \"team\": \"risk\"}"));
            JsonNode chatRecord = byRequest.values().stream()
                    .filter(r -> r.path("operation").asText().equals("CreateChatCompletion"))
                    .findFirst()
                    .orElseThrow();
            assertThat(chatRecord.path("requestMetadata")).isEqualTo(Json.MAPPER.readTree("{\"team\": \"fraud\"}"));
            assertThat(chatRecord.at("/output/outputBodyJson/id").asText()).isEqualTo(chat.id());
            assertThat(byRequest.values())
                    .filteredOn(r -> r.at("/input/inputBodyJson/messages/0/content/0/text")
                            .asText()
                            .equals("no labels"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.has("requestMetadata")).isFalse());
        }
    }

    @Test
    void putLoggingConfiguration_badInput_isRefused() {
        try (MeridianServer server = TestGateways.start();
                BedrockClient control = TestGateways.control(server, "eu-west-1")) {
            assertThatThrownBy(() -> control.putModelInvocationLoggingConfiguration(
                            b -> b.loggingConfig(c -> c.textDataDeliveryEnabled(true))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("needs a destination");
            assertThatThrownBy(() -> control.putModelInvocationLoggingConfiguration(
                            b -> b.loggingConfig(c -> c.s3Config(s -> s.bucketName("Bad_Bucket")))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("bucketName");
            assertThatThrownBy(() -> control.putModelInvocationLoggingConfiguration(
                            b -> b.loggingConfig(c -> c.cloudWatchConfig(w -> w.logGroupName("/x")))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("roleArn");
        }
    }
}
