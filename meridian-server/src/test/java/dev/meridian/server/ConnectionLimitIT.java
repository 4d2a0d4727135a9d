package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server.maxConnections}: connections beyond the limit are closed at once, without an answer, while the
 * open ones keep being served; once one closes, a new connection is served again.
 */
class ConnectionLimitIT {
    static MeridianServer server;

    @BeforeAll
    static void start() {
        server = TestGateways.start("server: {maxConnections: 2}\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectionsBeyondTheLimitAreClosed_theOpenOnesAreServed() throws Exception {
        Socket first = connect();
        try (Socket second = connect()) {
            assertThat(get(first)).startsWith("HTTP/1.1 200");
            assertThat(get(second)).startsWith("HTTP/1.1 200");

            assertThat(answerOnANewConnection())
                    .as("the third connection gets no answer")
                    .isEmpty();
            assertThat(get(first)).as("still served on a kept-alive connection").startsWith("HTTP/1.1 200");

            first.close();
            assertThat(servedOnANewConnectionWithin(5_000)).isTrue();
        } finally {
            first.close();
        }
    }

    private static boolean servedOnANewConnectionWithin(long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (answerOnANewConnection().startsWith("HTTP/1.1 200")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The status line of {@code GET /metrics} on a new connection, or "" if the server closed or reset it. */
    private static String answerOnANewConnection() throws IOException {
        try (Socket s = connect()) {
            return get(s);
        } catch (SocketException e) {
            return ""; // reset while connecting
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends {@code GET /metrics} and returns the status line, or "" if the server closed the connection. */
    private static String get(Socket s) throws IOException {
        try {
            s.getOutputStream()
                    .write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head.isEmpty()) {
                return "";
            }
            int length = contentLength(head);
            in.readNBytes(length);
            return head.substring(0, head.indexOf("\r\n"));
        } catch (SocketException e) {
            return ""; // reset by the server
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within 5 s", e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return "";
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        throw new AssertionError("no content-length in " + head);
    }
}
