package dev.meridian.bench;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.server.simserver.SimulatorHttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy benchmark's upstream: answers every chat completion with bytes recorded once, at start, from the
 * simulated model server ({@link SimulatorHttpServer}), after a fixed delay. The issue asks for "a fixed-latency
 * upstream"; the simulator generates each answer (tokens, text, JSON) and spends ~0.5 ms of CPU on it on this
 * machine, on the two cores the proxies and the load generator share, where a real model server would run on a
 * machine of its own. Replaying its answers keeps what goes over the wire (the same JSON, the same SSE events,
 * vLLM's {@code /metrics}) and takes the generation's CPU out of the measurement.
 *
 * <p>A streamed answer is written event by event (one {@code data:} event per chunk), with or without the usage
 * chunk as the request's {@code stream_options} asks. Anything else it was not recorded for gets a 404.
 */
final class FixedAnswerUpstream implements AutoCloseable {
    private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INCLUDE_USAGE = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);

    /** What the simulator answered to each kind of request, replayed byte for byte. */
    record Recording(byte[] whole, List<byte[]> streamed, List<byte[]> streamedWithUsage, byte[] metrics) {}

    private final Server server;

    private FixedAnswerUpstream(Recording recording, Duration delay) {
        this.server = Server.builder()
                .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .service(
                        "/v1/chat/completions",
                        (ctx, req) -> HttpResponse.of(req.aggregate()
                                .thenApply(agg -> delayed(
                                        ctx, answer(recording, agg.content().array()), delay))))
                .service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK))
                .service(
                        "/metrics",
                        (ctx, req) -> HttpResponse.of(
                                HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, HttpData.wrap(recording.metrics())))
                .build();
        server.start().join();
    }

    /** Records {@code simulator}'s answers to the benchmark's request for {@code model}, then serves them. */
    static FixedAnswerUpstream start(SimulatorHttpServer simulator, String model, Duration delay) {
        return new FixedAnswerUpstream(record(simulator.port(), model), delay);
    }

    static Recording record(int port, String model) {
        WebClient client = WebClient.of("http://127.0.0.1:" + port);
        byte[] whole = call(client, ProxyOverhead.chatBody(model, "")).content().array();
        List<byte[]> streamed = events(call(client, ProxyOverhead.chatBody(model, ",\"stream\":true")));
        List<byte[]> withUsage = events(call(
                client, ProxyOverhead.chatBody(model, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")));
        byte[] metrics = client.get("/metrics").aggregate().join().content().array();
        return new Recording(whole, streamed, withUsage, metrics);
    }

    private static AggregatedHttpResponse call(WebClient client, String body) {
        AggregatedHttpResponse res = client.execute(
                        HttpRequest.of(HttpMethod.POST, "/v1/chat/completions", MediaType.JSON, body))
                .aggregate()
                .join();
        if (res.status() != HttpStatus.OK) {
            throw new IllegalStateException("the simulator answered " + res.status() + ": " + res.contentUtf8());
        }
        return res;
    }

    /** An SSE body cut after each event's blank line, so each event can leave in its own write. */
    static List<byte[]> events(AggregatedHttpResponse res) {
        String body = res.contentUtf8();
        List<byte[]> events = new ArrayList<>();
        for (int from = 0; from < body.length(); ) {
            int end = body.indexOf("\n\n", from);
            end = end < 0 ? body.length() : end + 2;
            events.add(body.substring(from, end).getBytes(StandardCharsets.UTF_8));
            from = end;
        }
        return events;
    }

    private static HttpResponse answer(Recording recording, byte[] request) {
        if (!contains(request, STREAM_TRUE)) {
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON, HttpData.wrap(recording.whole()));
        }
        List<byte[]> events = contains(request, INCLUDE_USAGE) ? recording.streamedWithUsage() : recording.streamed();
        HttpData[] data = events.stream().map(HttpData::wrap).toArray(HttpData[]::new);
        return HttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM), StreamMessage.of(data));
    }

    private static HttpResponse delayed(ServiceRequestContext ctx, HttpResponse answer, Duration delay) {
        return delay.isZero() ? answer : HttpResponse.delayed(answer, delay, ctx.eventLoop());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
