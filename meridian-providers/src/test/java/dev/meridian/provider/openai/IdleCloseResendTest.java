package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.ProviderCall;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model server that closes a kept-alive connection just as the next request arrives on it, the race every
 * HTTP/1.1 server with a keep-alive timeout (vLLM's uvicorn: 5 s) runs with a pooled client: the request is sent
 * once more on a fresh connection within the same call, instead of failing the destination. The server here is
 * a raw socket speaking HTTP/1.1 (refusing the client's HTTP/2 preface as uvicorn does), so the close is exact
 * rather than timed.
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

    private OpenAiCompatibleProvider provider() {
        return new OpenAiCompatibleProvider(
                new OpenAiUpstream(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1"),
                        "m",
                        null,
                        null,
                        Duration.ofSeconds(5)),
                factory);
    }

    private static ProviderCall call(String text) {
        return new ProviderCall(
                "eu-west-1",
                "eu-west-1",
                "m",
                new ChatRequest(List.of(), List.of(Message.text(Role.USER, text)), InferenceParams.DEFAULTS, Map.of()));
    }

    @Test
    void converse_onAConnectionClosedUnderIt_isSentAgainOnAFreshOne() throws Exception {
        server = new ClosingServer(1);
        OpenAiCompatibleProvider provider = provider();
        for (int i = 0; i < 4; i++) {
            var answer = provider.converse(call("hello " + i)).get(10, TimeUnit.SECONDS);
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
        OpenAiCompatibleProvider provider = provider();
        for (int i = 0; i < 3; i++) {
            var stream = provider.converseStream(call("stream " + i)).get(10, TimeUnit.SECONDS);
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
        OpenAiCompatibleProvider provider = provider();
        assertThatThrownBy(() -> provider.converse(call("never answered")).join())
                .hasCauseInstanceOf(UpstreamException.class)
                .cause()
                .satisfies(e -> assertThat(((UpstreamException) e).kind()).isEqualTo(FailureKind.SERVER_ERROR));
        assertThat(server.closedUnderARequest.get()).as("sent twice, not more").isEqualTo(2);
        assertThat(server.answered.get()).isZero();
    }

    /**
     * Answers {@code answersPerConnection} chat completions on each connection, then reads the next request and
     * closes the connection without answering. Refuses HTTP/2's preface with 505 and its upgrade with 501, as
     * HTTP/1.1-only servers do.
     */
    static final class ClosingServer implements AutoCloseable {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger closedUnderARequest = new AtomicInteger();
        private final int answersPerConnection;
        private final ServerSocket socket;

        ClosingServer(int answersPerConnection) throws IOException {
            this.answersPerConnection = answersPerConnection;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                int served = 0;
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    if (head.startsWith("PRI ")) {
                        respond(out, "505 HTTP Version Not Supported", "text/plain", "", true);
                        return;
                    }
                    byte[] body = in.readNBytes(contentLength(head));
                    if (head.startsWith("OPTIONS ")) {
                        respond(out, "501 Not Implemented", "text/plain", "", false);
                        continue;
                    }
                    if (served == answersPerConnection) {
                        closedUnderARequest.incrementAndGet();
                        return; // the idle close, just as a request arrived
                    }
                    served++;
                    answered.incrementAndGet();
                    if (new String(body, StandardCharsets.UTF_8).contains("\"stream\":true")) {
                        respond(out, "200 OK", "text/event-stream", """
                                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"hi there"}}]}

                                data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                                data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}

                                data: [DONE]

                                """, false);
                    } else {
                        respond(out, "200 OK", "application/json", """
                                {"id":"x","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,
                                 "message":{"role":"assistant","content":"hi there"},"finish_reason":"stop"}],
                                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""", false);
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        /** The request line and headers, or null at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String s = head.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r\n\r\n")) {
                    return s;
                }
            }
            return null;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(
                            line.substring("content-length:".length()).trim());
                }
            }
            return 0;
        }

        private static void respond(OutputStream out, String status, String type, String body, boolean close)
                throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
                            + (close ? "\r\nConnection: close" : "") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
