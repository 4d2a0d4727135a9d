package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model server that closes a kept-alive connection just as the next request arrives on it, the race every
 * HTTP/1.1 server with a keep-alive timeout (vLLM's uvicorn: 5 s) runs with a pooled client: the request is sent
 * once more on a fresh connection within the same call, instead of failing the destination. The server is a raw
 * socket speaking HTTP/1.1 ({@link RawHttp1Server}), so the close is exact rather than timed.
 */
class IdleCloseResendTest {
    private ClosingServer server;
    private ClientFactory factory;

    @BeforeEach
    void start() {
        factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(1).build();
    }

    @AfterEach
    void stop() throws IOException {
        factory.close();
        server.close();
    }

    @Test
    void converse_onAConnectionClosedUnderIt_isSentAgainOnAFreshOne() throws Exception {
        server = new ClosingServer(1);
        OpenAiCompatibleProvider provider = server.provider(factory);
        for (int i = 0; i < 4; i++) {
            var answer = provider.converse(ProviderCalls.call("hello " + i)).get(10, TimeUnit.SECONDS);
            assertThat(answer.message().text()).isEqualTo("hi there");
        }
        assertThat(server.answered.get()).isEqualTo(4);
        assertThat(server.closedUnderARequest.get())
                .as("calls that found their pooled connection closed under them, and were answered all the same")
                .isPositive();
    }

    @Test
    void converseStream_onAConnectionClosedUnderIt_isSentAgainOnAFreshOne() throws Exception {
        server = new ClosingServer(1);
        OpenAiCompatibleProvider provider = server.provider(factory);
        for (int i = 0; i < 3; i++) {
            var stream =
                    provider.converseStream(ProviderCalls.call("stream " + i)).get(10, TimeUnit.SECONDS);
            List<ChatEvent> events = stream.events().collect().get(10, TimeUnit.SECONDS);
            assertThat(events)
                    .anyMatch(
                            e -> e instanceof ChatEvent.TextDelta d && d.text().equals("hi there"));
        }
        assertThat(server.answered.get()).isEqualTo(3);
        assertThat(server.closedUnderARequest.get()).isPositive();
    }

    @Test
    void aServerClosingUnderEveryRequest_failsTheCallAfterOneResend() throws IOException {
        server = new ClosingServer(0);
        OpenAiCompatibleProvider provider = server.provider(factory);
        assertThatThrownBy(() ->
                        provider.converse(ProviderCalls.call("never answered")).join())
                .hasCauseInstanceOf(UpstreamException.class)
                .cause()
                .satisfies(e -> assertThat(((UpstreamException) e).kind()).isEqualTo(FailureKind.SERVER_ERROR));
        assertThat(server.closedUnderARequest.get()).as("sent twice, not more").isEqualTo(2);
        assertThat(server.answered.get()).isZero();
    }

    /**
     * Answers {@code answersPerConnection} chat completions on each connection, then reads the next request and
     * closes the connection without answering.
     */
    static final class ClosingServer implements AutoCloseable {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger closedUnderARequest = new AtomicInteger();
        private final RawHttp1Server server;

        ClosingServer(int answersPerConnection) throws IOException {
            server = new RawHttp1Server((head, body, answeredOnConnection, out) -> {
                if (answeredOnConnection == answersPerConnection) {
                    closedUnderARequest.incrementAndGet();
                    return false; // the idle close, just as a request arrived
                }
                answered.incrementAndGet();
                if (new String(body, StandardCharsets.UTF_8).contains("\"stream\":true")) {
                    RawHttp1Server.respond(out, "200 OK", "text/event-stream", """
                            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"hi there"}}]}

                            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                            data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}

                            data: [DONE]

                            """, false);
                } else {
                    RawHttp1Server.respond(out, "200 OK", "application/json", """
                            {"id":"x","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,
                             "message":{"role":"assistant","content":"hi there"},"finish_reason":"stop"}],
                             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""", false);
                }
                return true;
            });
        }

        OpenAiCompatibleProvider provider(ClientFactory factory) {
            return server.provider(factory);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
