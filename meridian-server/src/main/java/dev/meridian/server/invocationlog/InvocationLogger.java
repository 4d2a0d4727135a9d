package dev.meridian.server.invocationlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.common.stream.StreamMessage;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.StreamAssembler;
import dev.meridian.core.chat.Usage;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model invocation logging, off until a source region configures it: one record per invocation in Bedrock's
 * model-invocation-log schema (full request and response, token counts, {@code inferenceRegion}), written in the
 * caller's source region to the configured bucket and/or log group (JSON lines). Bodies over 100 KiB go to
 * separate objects referenced by {@code inputBodyS3Path}/{@code outputBodyS3Path}, as Bedrock does. Streamed
 * invocations are logged with the assembled answer. Records are written off the request path.
 */
public final class InvocationLogger implements AutoCloseable {
    /** Bodies larger than this go to their own object. */
    static final int LARGE_BODY_BYTES = 100 * 1024;

    /** What stands in a logged body for an image's or a document's bytes while image data is off. */
    static final String OMITTED = "<attachment data omitted: imageDataDeliveryEnabled is false>";

    private static final Logger log = LoggerFactory.getLogger(InvocationLogger.class);
    private static final DateTimeFormatter HOUR_PATH =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final LoggingConfigStore store;
    private final BucketSink buckets;
    private final Path logStreams;
    private final String accountId;
    private final Map<String, LoggingConfig> configs = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("meridian-invocation-log").daemon().unstarted(r));

    /**
     * @param logStreams the directory holding log groups as JSON-lines files
     */
    public InvocationLogger(LoggingConfigStore store, BucketSink buckets, Path logStreams, String accountId) {
        this.store = store;
        this.buckets = buckets;
        this.logStreams = logStreams;
        this.accountId = accountId;
    }

    /** Loads the stored configurations; called once at start-up. */
    public void loadStored() {
        store.loadLoggingConfigs().join().forEach((region, json) -> {
            try {
                configs.put(region, LoggingConfig.fromJson(Json.MAPPER.readTree(json)));
            } catch (IOException | RuntimeException e) {
                log.error("ignoring the unreadable invocation logging configuration of {}: {}", region, e.getMessage());
            }
        });
    }

    public Optional<LoggingConfig> config(String region) {
        return Optional.ofNullable(configs.get(region));
    }

    /** Stores and applies {@code region}'s configuration. */
    public CompletableFuture<Void> configure(String region, LoggingConfig config) {
        return store.putLoggingConfig(region, config.toJson().toString()).thenRun(() -> configs.put(region, config));
    }

    /** Turns logging off for {@code region}. */
    public CompletableFuture<Void> remove(String region) {
        return store.deleteLoggingConfig(region).thenRun(() -> configs.remove(region));
    }

    /**
     * One invocation, as the surfaces describe it.
     *
     * @param requestMetadata the caller's own labels (Converse's {@code requestMetadata}, OpenAI's {@code metadata}),
     *     logged as Bedrock logs them so records can be filtered by them; empty for none
     */
    public record Call(
            String requestId,
            Caller caller,
            String operation,
            String modelId,
            String inferenceRegion,
            Map<String, String> requestMetadata) {
        public Call {
            requestMetadata = Map.copyOf(requestMetadata);
        }
    }

    /** Logs a completed non-streaming invocation (if its source region logs invocations). */
    public void completed(Call call, byte[] requestBody, byte[] responseBody, Usage usage) {
        LoggingConfig config = configs.get(call.caller().sourceRegion());
        if (config == null) {
            return;
        }
        Instant now = Instant.now();
        writer.execute(() -> write(config, call, now, requestBody, () -> parse(responseBody), usage));
    }

    /**
     * Returns {@code events} unchanged, assembling the answer on the way when the source region logs
     * invocations; the record is written when the stream ends.
     */
    public StreamMessage<ChatEvent> streamed(
            Call call,
            byte[] requestBody,
            StreamMessage<ChatEvent> events,
            Function<dev.meridian.core.chat.ChatResponse, JsonNode> render) {
        LoggingConfig config = configs.get(call.caller().sourceRegion());
        if (config == null) {
            return events;
        }
        StreamAssembler assembler = new StreamAssembler();
        Instant start = Instant.now();
        events.whenComplete().handle((ok, failure) -> {
            var answer = assembler.response();
            writer.execute(() -> write(config, call, start, requestBody, () -> render.apply(answer), answer.usage()));
            return null;
        });
        return events.peek(assembler::accept);
    }

    /**
     * As {@link #streamed}, for several choices streamed in one answer (OpenAI's {@code n}): one record once every
     * choice has ended, its output what {@code render} makes of them all, its usage what {@code processed} counts.
     */
    public List<StreamMessage<ChatEvent>> streamedChoices(
            Call call,
            byte[] requestBody,
            List<StreamMessage<ChatEvent>> choices,
            Function<List<dev.meridian.core.chat.ChatResponse>, JsonNode> render,
            Function<List<dev.meridian.core.chat.ChatResponse>, Usage> processed) {
        LoggingConfig config = configs.get(call.caller().sourceRegion());
        if (config == null) {
            return choices;
        }
        List<StreamAssembler> assemblers =
                choices.stream().map(c -> new StreamAssembler()).toList();
        Instant start = Instant.now();
        CompletableFuture.allOf(choices.stream()
                        .map(c -> c.whenComplete().handle((ok, failure) -> null))
                        .toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    var answers =
                            assemblers.stream().map(StreamAssembler::response).toList();
                    writer.execute(() -> write(
                            config, call, start, requestBody, () -> render.apply(answers), processed.apply(answers)));
                });
        List<StreamMessage<ChatEvent>> peeked = new ArrayList<>(choices.size());
        for (int i = 0; i < choices.size(); i++) {
            peeked.add(choices.get(i).peek(assemblers.get(i)::accept));
        }
        return peeked;
    }

    private void write(
            LoggingConfig config, Call call, Instant time, byte[] requestBody, Supplier<JsonNode> output, Usage usage) {
        String region = call.caller().sourceRegion();
        try {
            ObjectNode r = Json.object();
            r.put("schemaType", "ModelInvocationLog");
            r.put("schemaVersion", "1.0");
            r.put("timestamp", time.toString());
            r.put("accountId", accountId);
            r.putObject("identity")
                    .put(
                            "arn",
                            "arn:aws:iam::" + accountId + ":user/"
                                    + call.caller().principal());
            r.put("region", region);
            r.put("requestId", call.requestId());
            r.put("operation", call.operation());
            r.put("modelId", call.modelId());
            ObjectNode input = r.putObject("input");
            input.put("inputContentType", "application/json");
            ObjectNode out = r.putObject("output");
            out.put("outputContentType", "application/json");
            if (config.textData()) {
                body(config, call, time, input, "input", redactImages(parse(requestBody), config.imageData()));
                body(config, call, time, out, "output", output.get());
            }
            input.put("inputTokenCount", usage.inputTokens());
            out.put("outputTokenCount", usage.outputTokens());
            r.put("inferenceRegion", call.inferenceRegion());
            if (!call.requestMetadata().isEmpty()) { // labels, not content: logged whatever the data settings
                ObjectNode labels = r.putObject("requestMetadata");
                new TreeMap<>(call.requestMetadata()).forEach(labels::put);
            }
            byte[] line = (r.toString() + "\n").getBytes(StandardCharsets.UTF_8);
            if (config.s3() != null) {
                buckets.put(
                        region,
                        config.s3().bucketName(),
                        key(config.s3(), region, time, call.requestId()) + ".json.gz",
                        gzip(line),
                        "application/gzip");
            }
            if (config.logGroupName() != null) {
                append(region, config.logGroupName(), time, line);
            }
        } catch (RuntimeException e) {
            log.error(
                    "requestId={} invocation log record for {} not delivered: {}",
                    call.requestId(),
                    region,
                    e.getMessage());
        }
    }

    /** Inline when small, else a separate object referenced by {@code <kind>BodyS3Path}. */
    private void body(LoggingConfig config, Call call, Instant time, ObjectNode target, String kind, JsonNode body) {
        if (body == null) {
            return;
        }
        byte[] bytes = Json.bytes(body);
        LoggingConfig.S3Location large = config.s3() != null ? config.s3() : config.largeData();
        if (bytes.length <= LARGE_BODY_BYTES || large == null) {
            target.set(kind + "BodyJson", body);
            return;
        }
        String region = call.caller().sourceRegion();
        String key = key(large, region, time, "data/" + call.requestId()) + "_" + kind + ".json";
        buckets.put(region, large.bucketName(), key, bytes, "application/json");
        target.put(kind + "BodyS3Path", "s3://" + large.bucketName() + "/" + key);
    }

    /** {@code <prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/<name>}. */
    private String key(LoggingConfig.S3Location location, String region, Instant time, String name) {
        String prefix = location.keyPrefix() == null ? "" : location.keyPrefix().replaceAll("/+$", "") + "/";
        String file = name.startsWith("data/") ? name : STAMP.format(time) + "_" + name;
        return prefix + "AWSLogs/" + accountId + "/BedrockModelInvocationLogs/" + region + "/" + HOUR_PATH.format(time)
                + "/" + file;
    }

    private void append(String region, String logGroup, Instant time, byte[] line) {
        Path dir = logStreams
                .resolve(region)
                .resolve(logGroup.replaceAll("^/+", ""))
                .normalize();
        if (!dir.startsWith(logStreams.resolve(region))) {
            throw new IllegalArgumentException("log group escapes the log directory: " + logGroup);
        }
        Path file = dir.resolve("aws/bedrock/modelinvocations/" + DAY.format(time) + ".jsonl");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
    }

    /**
     * Replaces attachment payloads (images and documents: Bedrock's {@code bytes}, Anthropic's {@code data}, OpenAI's
     * data URLs and {@code file_data}) when image data is off: a document is as private as an image.
     */
    static JsonNode redactImages(JsonNode node, boolean keepImages) {
        if (keepImages || node == null) {
            return node;
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                JsonNode v = f.getValue();
                boolean payload = (f.getKey().equals("bytes") || f.getKey().equals("data")) && v.isTextual();
                boolean dataUrl = (f.getKey().equals("url") || f.getKey().equals("file_data"))
                        && v.isTextual()
                        && v.asText().startsWith("data:");
                if (payload || dataUrl) {
                    f.setValue(TextNode.valueOf(OMITTED));
                } else {
                    redactImages(v, false);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> redactImages(n, false));
        }
        return node;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Waits for queued records to be written (tests, shutdown). */
    public void flush() {
        CompletableFuture.runAsync(() -> {}, writer).join();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.error("invocation log: records still being delivered after 10 s were not written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            buckets.close();
        } catch (Exception e) {
            // closing
        }
    }
}
