package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.server.config.MeridianConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * An upstream that speaks HTTP/1.1 only, as vLLM's server (uvicorn) and most OpenAI-compatible model servers do,
 * while the gateway's client opens cleartext connections with an HTTP/2 preface: the JDK's own HTTP server refuses
 * the preface, and the gateway must fall back to HTTP/1.1 and serve Converse and ConverseStream through it (every
 * other test's upstream is an Armeria server, which accepts HTTP/2 too).
 */
class Http1OnlyUpstreamIT {
    static final String ANSWER = "hello over HTTP/1.1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> protocols = ConcurrentHashMap.newKeySet();
    static final AtomicInteger completions = new AtomicInteger();
    static final ExecutorService upstreamThreads = Executors.newFixedThreadPool(4);
    static HttpServer upstream;
    static MeridianServer gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/v1/chat/completions", Http1OnlyUpstreamIT::chatCompletion);
        upstream.start();
        // the simulated EU regions are down, and the router learns that by trying them: enough attempts to reach
        // the upstream's region whatever the order
        MeridianConfig config = TestGateways.config(
                        "routing: {maxAttempts: 6, attemptTimeout: 2s, totalTimeout: 10s}\n")
                .withUpstreams(List.of(MeridianConfig.Upstream.openAi(
                        "eu-west-1",
                        OpenAiUpstreamIT.NOVA,
                        URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1"),
                        "nova-lite",
                        "upstream-key",
                        false)));
        gateway = MeridianServer.start(config);
        TestGateways.onlyIrelandUp(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    /** vLLM's chat completions, reduced to one fixed answer, whole or as server-sent events. */
    private static void chatCompletion(HttpExchange exchange) throws IOException {
        protocols.add(exchange.getProtocol());
        completions.incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String model = request.path("model").asText();
        try (exchange) {
            if (request.path("stream").asBoolean()) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0); // chunked
                OutputStream out = exchange.getResponseBody();
                for (String piece : List.of("hello ", "over ", "HTTP/1.1")) {
                    event(
                            out,
                            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}}]}");
                }
                event(
                        out,
                        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
                event(
                        out,
                        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,"
                                + "\"total_tokens\":7}}");
                event(out, "[DONE]");
                return;
            }
            byte[] body = TestGateways.chatCompletion(model, ANSWER).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void converse_isServedByAnHttp1OnlyUpstream() {
        int before = completions.get();
        for (int i = 0; i < 3; i++) {
            ConverseResponse r = TestGateways.converseEu(gateway, "eu-south-1", "hello " + i);
            assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                    .hasValue("eu-west-1");
            assertThat(r.output().message().content().get(0).text()).isEqualTo(ANSWER);
            assertThat(r.usage().outputTokens()).isEqualTo(3);
        }
        assertThat(completions.get() - before).isEqualTo(3);
        assertThat(protocols).containsExactly("HTTP/1.1");
    }

    @Test
    void converseStream_relaysAnHttp1OnlyUpstreamsEvents() throws Exception {
        List<ConverseStreamOutput> events = TestGateways.streamEu(gateway, "eu-south-1", "stream over HTTP/1.1");
        String text = events.stream()
                .filter(e -> e instanceof ContentBlockDeltaEvent)
                .map(e -> ((ContentBlockDeltaEvent) e).delta().text())
                .collect(Collectors.joining());
        assertThat(text).isEqualTo(ANSWER);
        assertThat(events.get(events.size() - 1).sdkEventType().toString()).isEqualTo("metadata");
        assertThat(protocols).containsExactly("HTTP/1.1");
    }
}
