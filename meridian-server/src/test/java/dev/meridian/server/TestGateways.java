package dev.meridian.server;

import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.config.ConfigLoader;
import dev.meridian.server.config.MeridianConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** Starts real gateways on ephemeral loopback ports and builds real AWS SDK clients pointed at them. */
public final class TestGateways {
    public static final String ACCESS_KEY = AuthSettings.DEMO_ACCESS_KEY.accessKeyId();
    public static final String SECRET_KEY = AuthSettings.DEMO_ACCESS_KEY.secretAccessKey();

    private TestGateways() {}

    /**
     * Takes every EU member region of {@code server}'s own simulator down except Ireland, so an EU-profile request
     * must go to the upstream standing for eu-west-1.
     */
    public static void onlyIrelandUp(MeridianServer server) {
        for (String r : java.util.List.of("eu-central-1", "eu-south-1", "eu-south-2", "eu-west-3", "eu-north-1")) {
            server.wiring().simulator().setDown(r, true);
        }
    }

    /** A Bedrock upstream for {@code region} and {@code model} served by {@code peer}, called with the demo key. */
    public static MeridianConfig.Upstream peerUpstream(MeridianServer peer, String region, String model) {
        return MeridianConfig.Upstream.bedrock(region, model, URI.create(peer.endpoint()), ACCESS_KEY, SECRET_KEY);
    }

    /** Defaults, on a free port, with the simulator 100x faster than real time. */
    public static MeridianServer start() {
        return start("");
    }

    /** Defaults extended by {@code yaml}, on a free port, simulator 100x faster unless the yaml says otherwise. */
    public static MeridianServer start(String yaml) {
        return MeridianServer.start(config(yaml));
    }

    /** The config of {@link #start(String)}: a free port and a fresh data directory. */
    public static MeridianConfig config(String yaml) {
        String withSim = yaml.contains("simulator:") ? yaml : "simulator: {timeScale: 0.01}\n" + yaml;
        return ConfigLoader.fromYaml(withSim).withPort(0).withDataDirectory(freshDirectory());
    }

    /** A new empty directory, deleted with its contents when the test JVM exits. */
    public static java.nio.file.Path freshDirectory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("meridian-test-");
            CREATED.add(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Directories to delete at exit ({@code File.deleteOnExit} leaves a directory that is not empty). */
    private static final java.util.Queue<java.nio.file.Path> CREATED =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().unstarted(() -> CREATED.forEach(TestGateways::deleteTree)));
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // best effort: a leftover temporary directory is not a test failure
        }
    }

    /**
     * A whole chat completion as an OpenAI-compatible server answers it: {@code content} from {@code model}, 4 prompt
     * and 3 completion tokens.
     */
    public static String chatCompletion(String model, String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + content + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}";
    }

    /** The official OpenAI client against {@code server}'s OpenAI surface, with {@code apiKey} and no retries. */
    public static com.openai.client.OpenAIClient openAi(MeridianServer server, String apiKey) {
        return com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .baseUrl(server.endpoint() + "/v1")
                .apiKey(apiKey)
                .maxRetries(0)
                .build();
    }

    public static BedrockRuntimeClient runtime(MeridianServer server, String region) {
        return pointedAt(BedrockRuntimeClient.builder(), server, region)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient runtimeAsync(
            MeridianServer server, String region) {
        return pointedAt(
                        software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient.builder(),
                        server,
                        region)
                .build();
    }

    /** Converse with the EU Nova profile from {@code source}, optionally offering {@code tools}. */
    public static software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse converseEu(
            MeridianServer server,
            String source,
            String text,
            software.amazon.awssdk.services.bedrockruntime.model.Tool... tools) {
        try (BedrockRuntimeClient client = runtime(server, source)) {
            return client.converse(b -> {
                b.modelId("eu.amazon.nova-2-lite-v1:0")
                        .messages(software.amazon.awssdk.services.bedrockruntime.model.Message.builder()
                                .role(software.amazon.awssdk.services.bedrockruntime.model.ConversationRole.USER)
                                .content(software.amazon.awssdk.services.bedrockruntime.model.ContentBlock.fromText(
                                        text))
                                .build());
                if (tools.length > 0) {
                    b.toolConfig(t -> t.tools(tools));
                }
            });
        }
    }

    /** ConverseStream with the EU Nova profile from {@code source}; the events as the SDK delivered them. */
    public static java.util.List<software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput> streamEu(
            MeridianServer server, String source, String text) throws Exception {
        return streamEu(server, source, text, b -> {});
    }

    /** A ConverseStream of {@code text} through the EU Nova profile with {@code options} set; its events in order. */
    public static java.util.List<software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput> streamEu(
            MeridianServer server,
            String source,
            String text,
            java.util.function.Consumer<
                            software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest.Builder>
                    options)
            throws Exception {
        var events = new java.util.concurrent.CopyOnWriteArrayList<
                software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput>();
        try (var client = runtimeAsync(server, source)) {
            client.converseStream(
                            b -> {
                                b.modelId("eu.amazon.nova-2-lite-v1:0").messages(ToolUseIT.user(text));
                                options.accept(b);
                            },
                            software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler.builder()
                                    .subscriber(events::add)
                                    .build())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        return events;
    }

    /** A {@code get_weather} tool taking any object, as the tool-use tests offer it. */
    public static software.amazon.awssdk.services.bedrockruntime.model.Tool weatherTool() {
        return software.amazon.awssdk.services.bedrockruntime.model.Tool.fromToolSpec(
                software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification.builder()
                        .name("get_weather")
                        .inputSchema(software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema.fromJson(
                                software.amazon.awssdk.core.document.Document.mapBuilder()
                                        .putString("type", "object")
                                        .build()))
                        .build());
    }

    public static BedrockClient control(MeridianServer server, String region) {
        return pointedAt(BedrockClient.builder(), server, region)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A CloudTrail client for {@code region}'s trail, with the demo credentials. */
    /**
     * The audit record of the call answered with {@code requestId}, looked up by its event name in {@code region}'s
     * trail with the real CloudTrail client.
     */
    public static com.fasterxml.jackson.databind.JsonNode auditRecord(
            MeridianServer server, String region, String eventName, String requestId) throws java.io.IOException {
        try (var trail = cloudTrail(server, region)) {
            String event = trail
                    .lookupEvents(b -> b.lookupAttributes(a -> a.attributeKey(
                                    software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey.EVENT_NAME)
                            .attributeValue(eventName)))
                    .events()
                    .stream()
                    .map(e -> e.cloudTrailEvent())
                    .filter(record -> record.contains(requestId))
                    .findFirst()
                    .orElseThrow();
            return dev.meridian.server.http.Json.MAPPER.readTree(event);
        }
    }

    public static software.amazon.awssdk.services.cloudtrail.CloudTrailClient cloudTrail(
            MeridianServer server, String region) {
        return pointedAt(software.amazon.awssdk.services.cloudtrail.CloudTrailClient.builder(), server, region)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Endpoint override, source region, demo credentials, no SDK retries (tests see every error). */
    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B pointedAt(
            B builder, MeridianServer server, String region) {
        return builder.endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .overrideConfiguration(noRetries());
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .retryStrategy(b -> b.maxAttempts(1))
                .apiCallTimeout(Duration.ofSeconds(30))
                .build();
    }
}
