package dev.meridian.provider.openai;

import com.linecorp.armeria.client.ClientFactory;
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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An HTTP/1.1-only server on a raw socket, for the upstream behaviours a framework's server would not produce on
 * cue (a connection closed as a request arrives, a body written in pieces that split a character). It refuses
 * the client's HTTP/2 preface with 505 and its upgrade with 501, as HTTP/1.1-only servers such as vLLM's do
 * (counting both, {@link #probes()}), and hands every other request to a {@link Responder}.
 */
final class RawHttp1Server implements AutoCloseable {
    /** Answers one request; false closes the connection (without an answer if nothing was written). */
    interface Responder {
        boolean respond(String head, byte[] body, int answeredOnConnection, OutputStream out) throws IOException;
    }

    private final Responder responder;
    private final ServerSocket socket;
    private final AtomicInteger probes = new AtomicInteger();

    RawHttp1Server(Responder responder) throws IOException {
        this.responder = responder;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The HTTP/2 prefaces and upgrade requests clients have sent, each refused. */
    int probes() {
        return probes.get();
    }

    /** An OpenAI-compatible provider for this server (model {@code m}, no key) on {@code factory}'s connections. */
    OpenAiCompatibleProvider provider(ClientFactory factory) {
        return new OpenAiCompatibleProvider(upstream(UpstreamProtocol.AUTO), factory);
    }

    /** This server as an upstream of model {@code m}, without a key, spoken to in {@code protocol}. */
    OpenAiUpstream upstream(UpstreamProtocol protocol) {
        return new OpenAiUpstream(
                URI.create("http://127.0.0.1:" + port() + "/v1"),
                "m",
                null,
                null,
                Duration.ofSeconds(5),
                false,
                protocol);
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
            int answered = 0;
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                if (head.startsWith("PRI ")) {
                    probes.incrementAndGet();
                    respond(out, "505 HTTP Version Not Supported", "text/plain", "", true);
                    return;
                }
                byte[] body = in.readNBytes(contentLength(head));
                if (head.startsWith("OPTIONS ")) {
                    probes.incrementAndGet();
                    respond(out, "501 Not Implemented", "text/plain", "", false);
                    continue;
                }
                if (!responder.respond(head, body, answered, out)) {
                    return;
                }
                answered++;
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
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return head.toString(StandardCharsets.ISO_8859_1);
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

    /**
     * A responder answering a streamed request ({@code "stream":true}) with {@code streamed} as an event stream and
     * any other with {@code whole} as JSON, each request's body handed to {@code requests} first.
     */
    static Responder wholeOrStreamed(String whole, String streamed, Consumer<String> requests) {
        return (head, body, answered, out) -> {
            String request = new String(body, StandardCharsets.UTF_8);
            requests.accept(request);
            boolean stream = request.contains("\"stream\":true");
            respond(out, "200 OK", stream ? "text/event-stream" : "application/json", stream ? streamed : whole, false);
            return true;
        };
    }

    /** Writes a whole answer with a Content-Length. */
    static void respond(OutputStream out, String status, String type, String body, boolean close) throws IOException {
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
