package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/** ConverseStream through the AWS SDK for Java v2 async client and its event-stream handler. */
class ConverseStreamIT {
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";
    static MeridianServer server;
    static BedrockRuntimeAsyncClient client;

    @BeforeAll
    static void start() {
        // Slow enough that a stream lasts about a second: 50 tokens/s, TTFT 100 ms.
        server =
                TestGateways.start("simulator: {timeScale: 1.0, defaults: {ttftMs: 100, decodeTokensPerSecond: 50}}\n");
        client = TestGateways.runtimeAsync(server, "eu-south-1");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @AfterEach
    void restore() {
        server.wiring().catalog().regionIds().forEach(r -> {
            server.wiring().simulator().setDown(r, false);
            server.wiring().simulator().setCapacity(r, null);
        });
    }

    record Collected(
            ConverseStreamResponse response,
            List<ConverseStreamOutput> events,
            List<Long> arrivalNanos,
            Throwable error) {
        String text() {
            StringBuilder sb = new StringBuilder();
            events.stream()
                    .filter(e -> e instanceof ContentBlockDeltaEvent)
                    .forEach(e -> sb.append(((ContentBlockDeltaEvent) e).delta().text()));
            return sb.toString();
        }
    }

    static Collected stream(String prompt, Consumer<ConverseStreamOutput> onEvent) throws Exception {
        List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        AtomicReference<ConverseStreamResponse> response = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .onResponse(response::set)
                .onError(error::set)
                .subscriber(e -> {
                    events.add(e);
                    arrivals.add(System.nanoTime());
                    onEvent.accept(e);
                })
                .build();
        CompletableFuture<Void> done = client.converseStream(request(prompt), handler);
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            error.compareAndSet(null, e.getCause());
        }
        Throwable e = error.get();
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return new Collected(response.get(), events, arrivals, e);
    }

    static ConverseStreamRequest request(String prompt) {
        return ConverseStreamRequest.builder()
                .modelId(EU_NOVA)
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText(prompt))
                        .build())
                .build();
    }

    @Test
    void converseStream_relaysTheSameAnswerAsConverse_withAllEventsInOrder() throws Exception {
        Collected c = stream("Tell me about residency", e -> {});

        assertThat(c.error()).isNull();
        assertThat(c.response().sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValueSatisfying(r -> assertThat(r).isIn(ConverseIT.EU_MEMBERS));
        assertThat(c.events().get(0).sdkEventType()).isEqualTo(ConverseStreamOutput.EventType.MESSAGE_START);
        assertThat(c.events().get(c.events().size() - 1)).isInstanceOf(ConverseStreamMetadataEvent.class);
        MessageStopEvent stop = (MessageStopEvent) c.events().get(c.events().size() - 2);
        assertThat(stop.stopReason()).isEqualTo(StopReason.END_TURN);
        ConverseStreamMetadataEvent meta =
                (ConverseStreamMetadataEvent) c.events().get(c.events().size() - 1);
        assertThat(meta.usage().outputTokens()).isPositive();
        assertThat(meta.metrics().latencyMs()).isPositive();

        ConverseResponse whole = TestGateways.runtime(server, "eu-south-1")
                .converse(b -> b.modelId(EU_NOVA)
                        .messages(Message.builder()
                                .role(ConversationRole.USER)
                                .content(ContentBlock.fromText("Tell me about residency"))
                                .build()));
        assertThat(c.text()).isEqualTo(whole.output().message().content().get(0).text());
        assertThat(meta.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
    }

    @Test
    void converseStream_tokensArriveAsProduced_notBufferedToTheEnd() throws Exception {
        Collected c = stream("Stream this slowly please", e -> {});
        List<Long> deltas = new java.util.ArrayList<>();
        for (int i = 0; i < c.events().size(); i++) {
            if (c.events().get(i) instanceof ContentBlockDeltaEvent) {
                deltas.add(c.arrivalNanos().get(i));
            }
        }
        assertThat(deltas).hasSizeGreaterThan(10);
        long spreadMillis = (deltas.get(deltas.size() - 1) - deltas.get(0)) / 1_000_000;
        // ~0.3 s or more of decoding at 50 tokens/s: buffered relaying would deliver them all at once.
        assertThat(spreadMillis).isGreaterThan(200);
    }

    @Test
    void converseStream_regionLostMidStream_endsWithAModeledStreamException() throws Exception {
        AtomicReference<Boolean> cut = new AtomicReference<>(false);
        Collected c = stream("Lose the region halfway", e -> {
            if (e instanceof ContentBlockDeltaEvent && !cut.getAndSet(true)) {
                server.wiring()
                        .catalog()
                        .regionIds()
                        .forEach(id -> server.wiring().simulator().setDown(id, true));
            }
        });
        assertThat(c.events()).anyMatch(e -> e instanceof ContentBlockDeltaEvent);
        assertThat(c.error()).isInstanceOf(ModelStreamErrorException.class);
    }

    @Test
    void converseStream_nearestRegionsThrottled_failsOverBeforeTheFirstByte() throws Exception {
        server.wiring().simulator().setCapacity("eu-south-1", 0);
        server.wiring().simulator().setCapacity("eu-central-1", 0);
        Collected c = stream("Fail over please", e -> {});
        assertThat(c.error()).isNull();
        assertThat(c.response().sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValueSatisfying(
                        r -> assertThat(r).isIn(ConverseIT.EU_MEMBERS).isNotIn("eu-south-1", "eu-central-1"));
    }

    @Test
    void converseStream_everyRegionDown_isAnHttpErrorBeforeTheStream() throws Exception {
        server.wiring()
                .catalog()
                .regionIds()
                .forEach(id -> server.wiring().simulator().setDown(id, true));
        Collected c = stream("Nothing is up", e -> {});
        assertThat(c.error()).isInstanceOf(ServiceUnavailableException.class);
        assertThat(c.events()).isEmpty();
    }

    @Test
    void converseStream_clientCancels_upstreamStopsAndFreesCapacity() throws Exception {
        AtomicReference<org.reactivestreams.Subscription> subscription = new AtomicReference<>();
        CompletableFuture<Void> gotDelta = new CompletableFuture<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .onEventStream(publisher -> publisher.subscribe(new org.reactivestreams.Subscriber<>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        subscription.set(s);
                        s.request(1);
                    }

                    @Override
                    public void onNext(ConverseStreamOutput e) {
                        if (e instanceof ContentBlockDeltaEvent) {
                            gotDelta.complete(null);
                            subscription.get().cancel();
                        } else {
                            subscription.get().request(1);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onComplete() {}
                }))
                .build();
        client.converseStream(request("Cancel me"), handler);
        gotDelta.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int running = -1;
        while (System.nanoTime() < deadline) {
            running = ConverseIT.EU_MEMBERS.stream()
                    .mapToInt(r -> server.wiring().simulator().inFlight(r, "amazon.nova-2-lite-v1:0"))
                    .sum();
            if (running == 0) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(running).isZero();
    }
}
