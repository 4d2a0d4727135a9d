package dev.meridian.server.surface.bedrock;

import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.Usage;
import dev.meridian.server.audit.AuditEntry;
import dev.meridian.server.audit.AuditedOperation;
import dev.meridian.server.audit.CloudTrailRecord;
import dev.meridian.server.audit.HashChain;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request work at the Bedrock surface besides routing: parsing a Converse request, encoding stream events
 * as AWS event-stream frames, and building and chaining the audit record. In the surface's package because the
 * codecs are package-private (the benchmark module shares the package on the classpath). Run with
 * {@code -prof gc} for the allocation rate ({@code bench/jmh.sh SurfaceCodecBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SurfaceCodecBenchmark {
    byte[] converseBody;
    ChatEvent delta;
    ChatEvent metadata;
    AuditedOperation operation;
    Caller caller;

    @Setup
    public void setUp() {
        converseBody = ("{\"system\":[{\"text\":\"You are a claims assistant.\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Summarise claim 4711: the"
                        + " policyholder reports water damage in the kitchen after a pipe burst on 3 March.\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Which policy covers it?\"}]},"
                        + "{\"role\":\"user\",\"content\":[{\"text\":\"Home insurance, premium tier.\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":512,\"temperature\":0.2,\"topP\":0.9,"
                        + "\"stopSequences\":[\"END\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        delta = new ChatEvent.TextDelta(0, "The policyholder reports water damage ");
        metadata = new ChatEvent.Metadata(new Usage(120, 64));
        operation = new AuditedOperation(
                "Converse", "bedrock.amazonaws.com", false, true, "AWS::Bedrock::Model", "eu.amazon.nova-2-lite-v1:0");
        caller = new Caller("claims-app", "eu-central-1", "AKIAEXAMPLEKEY");
    }

    @Benchmark
    public ChatRequest parseConverseRequest() {
        return ConverseCodec.parse(converseBody);
    }

    /** Baseline for {@link #readBodyStrict}: Jackson's default tree read (trailing content, repeated members pass). */
    @Benchmark
    public Object readBodyLenient() throws java.io.IOException {
        return Json.MAPPER.readTree(converseBody);
    }

    /** What every request body goes through: one value only, each member once ({@link Json#readRequest}). */
    @Benchmark
    public Object readBodyStrict() throws java.io.IOException {
        return Json.readRequest(converseBody);
    }

    @Benchmark
    public Object encodeTextDeltaFrame() {
        return ConverseStreamEvents.frame(delta, () -> 12L, InvocationOptions.Served.NONE);
    }

    @Benchmark
    public Object encodeMetadataFrame() {
        return ConverseStreamEvents.frame(metadata, () -> 12L, InvocationOptions.Served.NONE);
    }

    @Benchmark
    public Object encodeStopFrame() {
        return ConverseStreamEvents.frame(
                new ChatEvent.MessageStop(StopReason.END_TURN), () -> 12L, InvocationOptions.Served.NONE);
    }

    @Benchmark
    public String buildAndChainAuditRecord() {
        AuditEntry e = CloudTrailRecord.entry(new CloudTrailRecord.Facts(
                operation,
                caller,
                "111122223333",
                Instant.now(),
                "0193a4f0-0000-7000-8000-000000000000",
                "10.0.0.7",
                "aws-sdk-java/2.57.8",
                Json.object().put("modelId", "eu.amazon.nova-2-lite-v1:0"),
                null,
                "eu-west-3",
                null,
                null,
                null));
        return HashChain.link(HashChain.GENESIS, 42, e.recordJson());
    }
}
