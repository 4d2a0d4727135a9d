package dev.meridian.bench;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import dev.meridian.server.MeridianServer;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.sim.RegionSimulator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming time to first byte: the same ConverseStream request, one at a time, sent directly to a streaming
 * simulator endpoint and through Meridian (EU profile, six allowed regions) in one run, alternating. Reports the
 * first-byte and full-stream latency percentiles of both and their difference.
 *
 * <p>Usage: {@code StreamingFirstByte [requests-per-target] [ttft-ms]}.
 */
public final class StreamingFirstByte {
    private StreamingFirstByte() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int ttft = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        MeridianConfig config = BenchFixture.config(ttft, "2000", "disk");
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Stream the residency rules.\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        String model = BenchFixture.MODEL;
        try (MeridianServer meridian = MeridianServer.start(config);
                RegionSimulator sim = BenchFixture.directSimulator(config);
                DirectSimulatorServer direct = new DirectSimulatorServer(sim, "eu-central-1")) {
            WebClient directClient = WebClient.of(SessionProtocol.H1C, Endpoint.of("127.0.0.1", direct.port()));
            WebClient meridianClient = WebClient.of(SessionProtocol.H1C, Endpoint.of("127.0.0.1", meridian.port()));
            RequestHeaders directHeaders = ConverseRequests.bearer("/model/" + model + "/converse-stream");
            RequestHeaders meridianHeaders = ConverseRequests.bearer("/model/eu." + model + "/converse-stream");
            for (int i = 0; i < 50; i++) {
                measure(directClient, directHeaders, body);
                measure(meridianClient, meridianHeaders, body);
            }
            long[][] d = new long[2][n];
            long[][] m = new long[2][n];
            for (int i = 0; i < n; i++) {
                long[] a = measure(directClient, directHeaders, body);
                long[] b = measure(meridianClient, meridianHeaders, body);
                d[0][i] = a[0];
                d[1][i] = a[1];
                m[0][i] = b[0];
                m[1][i] = b[1];
            }
            System.out.printf(
                    Locale.ROOT, "%nConverseStream, %d sequential requests per target, upstream TTFT %d ms%n", n, ttft);
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %14s %14s %16s %16s%n",
                    "target",
                    "TTFB p50 us",
                    "TTFB p99 us",
                    "complete p50 us",
                    "complete p99 us");
            row("direct", d);
            row("meridian", m);
            System.out.printf(
                    Locale.ROOT,
                    "added TTFB: p50 %+.0f us, p99 %+.0f us%n",
                    pct(m[0], 50) - pct(d[0], 50),
                    pct(m[0], 99) - pct(d[0], 99));
        }
    }

    private static void row(String name, long[][] values) {
        System.out.printf(
                Locale.ROOT,
                "%-10s %14.0f %14.0f %16.0f %16.0f%n",
                name,
                pct(values[0], 50),
                pct(values[0], 99),
                pct(values[1], 50),
                pct(values[1], 99));
    }

    private static double pct(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    /** Returns {first byte, complete} in microseconds, timed by a subscriber that sees each chunk as it arrives. */
    private static long[] measure(WebClient client, RequestHeaders headers, byte[] body) {
        AtomicLong first = new AtomicLong();
        java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
        long t0 = System.nanoTime();
        client.execute(HttpRequest.of(headers, HttpData.wrap(body))).subscribe(new org.reactivestreams.Subscriber<>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(com.linecorp.armeria.common.HttpObject o) {
                if (o instanceof HttpData d && !d.isEmpty()) {
                    first.compareAndSet(0, System.nanoTime());
                } else if (o instanceof com.linecorp.armeria.common.ResponseHeaders h
                        && h.status().code() != 200) {
                    done.completeExceptionally(new IllegalStateException("status " + h.status()));
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(System.nanoTime());
            }
        });
        long end = done.join();
        return new long[] {(first.get() - t0) / 1000, (end - t0) / 1000};
    }
}
