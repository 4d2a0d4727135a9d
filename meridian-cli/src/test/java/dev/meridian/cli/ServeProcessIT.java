package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.JavaProcess;
import dev.meridian.server.auth.AuthSettings;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meridian serve} as an operator runs it, in its own JVM with the shipped logging configuration: what it logs
 * per request and at shutdown.
 */
class ServeProcessIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) ");

    @TempDir
    Path workDir;

    @Test
    void blankRoutingLogVariable_keepsTheLineOff_andShutdownIsLogged() throws Exception {
        String log = serveOneRequestAndStop(Map.of(RoutingLogLevel.VARIABLE, ""));
        assertThat(log).doesNotContain("requestId=").contains("ServeCommand - stopped");
    }

    @Test
    void routingLogInfo_logsOneLinePerInvocation() throws Exception {
        String log = serveOneRequestAndStop(Map.of(RoutingLogLevel.VARIABLE, "INFO"));
        assertThat(log)
                .containsPattern(
                        "RoutingLog - requestId=\\S+ principal=\\S+ source=\\S+ model=eu\\.amazon\\.nova-2-lite"
                                + "-v1:0 allowed=\\[.*] attempts=1 region=eu-\\S+ latencyMs=\\d+")
                .contains("ServeCommand - stopped");
    }

    /**
     * Libraries that log through {@code java.util.logging} (the OpenTelemetry SDK) are routed into the gateway's own
     * log: a collector that cannot be reached shows as one of its lines, not in JUL's two-line format beside them.
     */
    @Test
    void javaUtilLogging_goesThroughTheGatewaysLog() throws Exception {
        // OTLP over HTTP at gRPC's port: the SDK warns (through JUL) as it starts; nothing needs to listen there
        String log = serveOneRequestAndStop(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_TIMEOUT", "500"));
        assertThat(log)
                .containsPattern(
                        "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN +i\\.o\\.\\S+ - OTLP exporter endpoint port is likely")
                .as("JUL's own format: a date line, then LEVEL: message")
                .doesNotContainPattern("(?m)^[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d\\d:\\d\\d [AP]M ")
                .contains("ServeCommand - stopped");
    }

    /**
     * A rolling deploy's SIGTERM lets a request in progress finish (server.shutdownGracePeriod, 30 s by default);
     * before, the event loops stopped at once and the caller's connection was cut mid-answer. With the grace period
     * set to 0 the cut is still what happens, which shows the first case is the setting's doing.
     */
    @Test
    void sigterm_letsARequestInProgressFinish_unlessTheGracePeriodIsZero() throws Exception {
        assertThat(requestDuringSigterm(null)).as("default grace period").startsWith("200 ");
        assertThat(requestDuringSigterm("0s")).as("no grace period").startsWith("cut");
    }

    /**
     * While it drains, the gateway still answers requests that arrive, but closes each connection after the answer,
     * so clients reconnect (through their load balancer) to a gateway that stays; before, a keep-alive client kept
     * using the stopping gateway until the grace period cut it off.
     */
    @Test
    void whileDraining_answersCloseTheirConnection() throws Exception {
        List<String> heads = new ArrayList<>();
        String inProgress = requestDuringSigterm(null, (endpoint, gateway) -> {
            heads.add(answerHead(endpoint));
            gateway.destroy();
            for (int i = 0; i < 30 && !heads.getLast().contains("connection: close"); i++) {
                Thread.sleep(50);
                heads.add(answerHead(endpoint));
            }
        });
        assertThat(heads.getFirst())
                .as("before the stop")
                .startsWith("http/1.1 200")
                .doesNotContain("connection:");
        assertThat(heads.getLast())
                .as("while draining")
                .startsWith("http/1.1 200")
                .contains("connection: close");
        assertThat(inProgress).startsWith("200 ");
    }

    /**
     * {@code /health} is what a load balancer polls: healthy while the gateway serves, unhealthy (503) as soon as a
     * stop begins, while the gateway still drains its requests in progress, so the balancer stops sending new ones.
     */
    @Test
    void health_isOkWhileServing_andUnavailableOnceTheStopBegins() throws Exception {
        List<HttpResponse<String>> checks = new ArrayList<>();
        String inProgress = requestDuringSigterm(null, (endpoint, gateway) -> {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest health =
                    HttpRequest.newBuilder(URI.create(endpoint + "/health")).build();
            checks.add(client.send(health, HttpResponse.BodyHandlers.ofString()));
            gateway.destroy();
            for (int i = 0; i < 30 && checks.getLast().statusCode() == 200; i++) {
                Thread.sleep(50);
                checks.add(HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString()));
            }
        });
        assertThat(checks.getFirst().statusCode()).as("before the stop").isEqualTo(200);
        assertThat(checks.getFirst().body()).contains("\"healthy\":true");
        assertThat(checks.getLast().statusCode()).as("while draining").isEqualTo(503);
        assertThat(checks.getLast().body()).contains("\"healthy\":false");
        assertThat(inProgress).as("the request in progress is still answered").startsWith("200 ");
    }

    /** What the test does once the gateway serves a request in progress: at least stop it. */
    private interface WhileInProgress {
        void run(String endpoint, Process gateway) throws Exception;
    }

    private String requestDuringSigterm(String grace) throws Exception {
        return requestDuringSigterm(grace, (endpoint, gateway) -> gateway.destroy());
    }

    /**
     * Starts a real-time gateway and, once a ~1.5 s chat completion is in progress there, runs {@code stop}, which
     * sends the SIGTERM; returns how the request ended.
     */
    private String requestDuringSigterm(String grace, WhileInProgress stop) throws Exception {
        Path stderr = workDir.resolve("stderr-" + grace + ".log");
        Path config = workDir.resolve("grace-" + grace + ".yaml");
        Files.writeString(
                config,
                "server: {dataDirectory: data-" + grace + (grace == null ? "" : ", shutdownGracePeriod: " + grace)
                        + "}\n");
        Process gateway = JavaProcess.of(Main.class, "serve", "--port", "0", "--config", config.toString())
                .directory(workDir.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            String endpoint = JavaProcess.awaitAnnouncement(gateway, LISTENING);
            var inProgress = HttpClient.newHttpClient()
                    .sendAsync(chatCompletion(endpoint), HttpResponse.BodyHandlers.ofString());
            awaitInProgress(endpoint);
            assertThat(inProgress).as("still in progress at the SIGTERM").isNotDone();
            stop.run(endpoint, gateway);
            return inProgress
                    .handle((r, e) -> r != null ? r.statusCode() + " " + r.body() : "cut: " + e)
                    .get(30, TimeUnit.SECONDS);
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Waits until the gateway has a request in progress besides the metrics scrape asking (Armeria's
     * {@code armeria_server_all_requests{state="active"}}, summed over HTTP/1 and HTTP/2). A fixed sleep was not
     * enough: on a loaded machine the request reached a fresh gateway after the SIGTERM and its quiet period, and
     * found the gateway gone.
     */
    private static void awaitInProgress(String endpoint) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest scrape =
                HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).build();
        Pattern active = Pattern.compile("(?m)^armeria_server_all_requests\\{[^}]*state=\"active\"[^}]*} (\\S+)$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var matcher = active.matcher(
                    client.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
            double inProgress = 0;
            while (matcher.find()) {
                inProgress += Double.parseDouble(matcher.group(1));
            }
            if (inProgress >= 2) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the chat completion never reached the gateway");
    }

    /**
     * Starts {@code meridian serve} with {@code environment} added, sends one chat completion, stops it with SIGTERM;
     * returns its stderr.
     */
    private String serveOneRequestAndStop(Map<String, String> environment) throws Exception {
        Path stderr = workDir.resolve("stderr.log");
        ProcessBuilder pb = JavaProcess.of(Main.class, "serve", "--port", "0")
                .directory(workDir.toFile())
                .redirectError(stderr.toFile());
        pb.environment().putAll(environment);
        Process gateway = pb.start();
        try {
            String endpoint = JavaProcess.awaitAnnouncement(gateway, LISTENING);
            HttpResponse<String> answer =
                    HttpClient.newHttpClient().send(chatCompletion(endpoint), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** The status line and headers, lower-cased, of a short chat completion sent over a new HTTP/1.1 connection. */
    private static String answerHead(String endpoint) throws Exception {
        URI uri = URI.create(endpoint);
        String body = "{\"model\":\"eu.amazon.nova-2-lite-v1:0\",\"max_tokens\":1,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + uri.getAuthority()
                                    + "\r\nAuthorization: Bearer " + AuthSettings.DEMO_API_KEY
                                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                                    + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                head.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
            }
            return head.toString();
        }
    }

    /** One chat completion through the EU profile with the demo API key. */
    private static HttpRequest chatCompletion(String endpoint) {
        return HttpRequest.newBuilder(URI.create(endpoint + "/v1/chat/completions"))
                .header("authorization", "Bearer " + AuthSettings.DEMO_API_KEY)
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"eu.amazon.nova-2-lite-v1:0\",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }
}
