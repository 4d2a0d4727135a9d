package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.route.UpstreamException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP version named for an upstream is the one spoken to it, by calls and by metrics polls alike: against an
 * HTTP/1.1-only server ({@link RawHttp1Server}, which counts the HTTP/2 prefaces and upgrade requests it refuses),
 * {@code http1} sends none of the probes that {@code auto} sends first, and {@code http2} does not fall back.
 */
class UpstreamProtocolTest {
    private final AtomicInteger completions = new AtomicInteger();
    private RawHttp1Server server;
    private ClientFactory factory;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttp1Server(this::vllm);
        factory = ClientFactory.builder().build();
    }

    @AfterEach
    void stop() throws IOException {
        factory.close();
        server.close();
    }

    /** vLLM reduced to a fixed answer, whole or streamed, and its metrics (a quarter of the KV cache in use). */
    private boolean vllm(String head, byte[] body, int answeredOnConnection, OutputStream out) throws IOException {
        if (head.startsWith("GET /metrics ")) {
            RawHttp1Server.respond(
                    out, "200 OK", "text/plain", "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.25\n", false);
            return true;
        }
        completions.incrementAndGet();
        if (new String(body, StandardCharsets.UTF_8).contains("\"stream\":true")) {
            RawHttp1Server.respond(
                    out,
                    "200 OK",
                    "text/event-stream",
                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi there\"}}]}\n\n"
                            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n",
                    false);
            return true;
        }
        RawHttp1Server.respond(
                out,
                "200 OK",
                "application/json",
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi there\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2}}",
                false);
        return true;
    }

    @Test
    void http1_callsAndMetricsPolls_sendNoHttp2Probe() throws Exception {
        OpenAiUpstream upstream = server.upstream(UpstreamProtocol.HTTP1);
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(upstream, factory);
        for (int i = 0; i < 2; i++) {
            assertThat(provider.converse(ProviderCalls.call("hello " + i))
                            .get(10, TimeUnit.SECONDS)
                            .message()
                            .text())
                    .isEqualTo("hi there");
        }
        var stream = provider.converseStream(ProviderCalls.call("stream")).get(10, TimeUnit.SECONDS);
        assertThat(stream.events().collect().get(10, TimeUnit.SECONDS))
                .anyMatch(e -> e instanceof ChatEvent.TextDelta d && d.text().equals("hi there"));
        CompletableFuture<Double> load = new CompletableFuture<>();
        try (VllmMetricsPoller poller =
                new VllmMetricsPoller(upstream, Duration.ofMillis(100), factory, load::complete)) {
            assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(0.25);
        }
        assertThat(completions.get()).isEqualTo(3);
        assertThat(server.probes())
                .as("HTTP/2 prefaces and upgrade requests refused")
                .isZero();
    }

    @Test
    void auto_probesForHttp2First_thenSpeaksHttp1() throws Exception {
        OpenAiCompatibleProvider provider =
                new OpenAiCompatibleProvider(server.upstream(UpstreamProtocol.AUTO), factory);
        assertThat(provider.converse(ProviderCalls.call("hello"))
                        .get(10, TimeUnit.SECONDS)
                        .message()
                        .text())
                .isEqualTo("hi there");
        assertThat(completions.get()).isEqualTo(1);
        assertThat(server.probes()).as("what http1 spares the server").isPositive();
    }

    @Test
    void http2_toAnHttp1OnlyServer_failsTheCallInsteadOfFallingBack() {
        OpenAiCompatibleProvider provider =
                new OpenAiCompatibleProvider(server.upstream(UpstreamProtocol.HTTP2), factory);
        assertThatThrownBy(() -> provider.converse(ProviderCalls.call("hello")).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UpstreamException.class);
        assertThat(completions.get()).isZero();
        assertThat(server.probes()).isPositive();
    }

    @Test
    void names_areTheConfigurationsInAnyCase_andNothingElse() {
        assertThat(UpstreamProtocol.named("HTTP1")).contains(UpstreamProtocol.HTTP1);
        assertThat(UpstreamProtocol.named("auto")).contains(UpstreamProtocol.AUTO);
        assertThat(UpstreamProtocol.named("h2c")).isEmpty();
        assertThat(List.of(UpstreamProtocol.values()))
                .extracting(UpstreamProtocol::configName)
                .containsExactly("auto", "http1", "http2");
    }
}
