package dev.meridian.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.config.ConfigLoader;
import dev.meridian.server.simserver.SimulatorHttpServer;
import dev.meridian.sim.RegionSimulator;
import dev.meridian.sim.ServingProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Meridian as a proxy, measured like nginx: every path ends at the same upstream over the same kind of hop, and
 * each proxy runs in its own process, so its CPU per request and resident memory are its own.
 *
 * <p>The upstream is a simulated model server with vLLM's OpenAI-compatible API ({@link SimulatorHttpServer}, in
 * this JVM with the load generator). {@code direct} sends OpenAI chat completions to it; {@code nginx} sends them
 * through nginx as a plain reverse proxy; {@code meridian-*} sends them to a Meridian gateway in its own JVM,
 * whose destinations are OpenAI-compatible upstreams pointing at that server, so Meridian authenticates,
 * resolves, applies residency and policy, routes, audits (durably) and then makes the same loopback hop nginx
 * makes. Open loop, latency from the intended send time.
 *
 * <p>Usage: {@code ProxyOverhead [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]};
 * {@code -Dmeridian.bench.stream=true} streams (SSE) and measures time to first byte;
 * {@code -Dmeridian.bench.auditSync=os} runs the gateway with {@code audit.sync: os};
 * {@code -Dmeridian.bench.embedded=true} adds {@code meridian-no-hop}: a second gateway answering from its embedded
 * simulator (same profile, same surface, no upstream hop), to tell the hop's cost from the rest. After the
 * open-loop rates, a closed loop of {@code -Dmeridian.bench.users=64} concurrent users (0 = skip; not with
 * streams) measures each target's maximum sustained requests per second.
 */
public final class ProxyOverhead {
    static final String MODEL = BenchFixture.MODEL;
    static final List<String> EU =
            List.of("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2");

    private ProxyOverhead() {}

    public static void main(String[] args) throws Exception {
        BenchFixture.OpenLoopArgs parsed = BenchFixture.OpenLoopArgs.parse(args);
        int seconds = parsed.seconds();
        int upstreamMs = parsed.upstreamMs();
        int[] rates = parsed.rates();
        boolean stream = Boolean.getBoolean("meridian.bench.stream");
        String auditSync = System.getProperty("meridian.bench.auditSync", "disk");
        var catalog = ConfigLoader.defaults().catalog();
        RegionSimulator sim = RegionSimulator.builder(RoundTripTimes.estimate(catalog, Map.of()))
                .defaults(new ServingProfile(100_000, upstreamMs, 1.0e12, 1.0e12))
                .build();
        try (SimulatorHttpServer upstream =
                        SimulatorHttpServer.start(sim, "eu-central-1", List.of(MODEL), "127.0.0.1", 0);
                ClientFactory factory = ClientFactory.builder().build()) {
            StringBuilder upstreams = new StringBuilder();
            for (String region : EU) {
                upstreams.append(String.format(
                        "  - {region: %s, model: \"%s\", provider: openai-compatible, baseUrl: \"http://127.0.0.1:%d/v1\", modelName: \"%s\"}%n",
                        region, MODEL, upstream.port(), MODEL));
            }
            String yaml = """
                    server: {port: 0, bindAddress: 127.0.0.1, dataDirectory: "%s"}
                    catalog:
                      rttOverrides: {"eu-central-1|eu-central-1": 0, "eu-central-1|eu-west-1": 0, "eu-central-1|eu-west-3": 0,
                                     "eu-central-1|eu-north-1": 0, "eu-central-1|eu-south-1": 0, "eu-central-1|eu-south-2": 0}
                    audit: {sync: %s}
                    upstreams:
                    %s""".formatted(Files.createTempDirectory("meridian-bench-gateway"), auditSync, upstreams);
            NginxProxy nginx = NginxProxy.available() ? NginxProxy.start(upstream.port()) : null;
            boolean embedded = Boolean.getBoolean("meridian.bench.embedded");
            String embeddedYaml =
                    """
                    server: {port: 0, bindAddress: 127.0.0.1, dataDirectory: "%s"}
                    simulator: {defaults: {capacity: 100000, ttftMs: %d, prefillTokensPerSecond: 1.0e12, decodeTokensPerSecond: 1.0e12}}
                    catalog:
                      rttOverrides: {"eu-central-1|eu-central-1": 0, "eu-central-1|eu-west-1": 0, "eu-central-1|eu-west-3": 0,
                                     "eu-central-1|eu-north-1": 0, "eu-central-1|eu-south-1": 0, "eu-central-1|eu-south-2": 0}
                    audit: {sync: %s}
                    """.formatted(Files.createTempDirectory("meridian-bench-embedded"), upstreamMs, auditSync);
            try (GatewayProcess meridian = GatewayProcess.start(yaml);
                    GatewayProcess noHop = embedded ? GatewayProcess.start(embeddedYaml) : null) {
                Map<String, Target> targets = new LinkedHashMap<>();
                targets.put(
                        "direct",
                        new Target(BenchFixture.client(factory, upstream.port()), body(MODEL, stream), null, null));
                if (nginx != null) {
                    targets.put(
                            "nginx",
                            new Target(
                                    BenchFixture.client(factory, nginx.port()),
                                    body(MODEL, stream),
                                    nginx::cpuNanos,
                                    nginx::rssBytes));
                } else {
                    System.out.println("nginx not found at " + NginxProxy.BINARY + ": the nginx baseline is skipped");
                }
                WebClient gateway = BenchFixture.client(factory, meridian.port());
                targets.put(
                        "meridian-in-region",
                        new Target(gateway, body(MODEL, stream), meridian::cpuNanos, meridian::rssBytes));
                targets.put(
                        "meridian-eu-profile",
                        new Target(gateway, body("eu." + MODEL, stream), meridian::cpuNanos, meridian::rssBytes));
                if (noHop != null) {
                    targets.put(
                            "meridian-no-hop",
                            new Target(
                                    BenchFixture.client(factory, noHop.port()),
                                    body("eu." + MODEL, stream),
                                    noHop::cpuNanos,
                                    noHop::rssBytes));
                }
                RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                        .contentType(MediaType.JSON)
                        .add("authorization", "Bearer " + AuthSettings.DEMO_API_KEY)
                        .build();

                System.out.println("warm-up (10 s per target at 1000 req/s)...");
                for (Map.Entry<String, Target> t : targets.entrySet()) {
                    var r = OpenLoopLoad.run(
                            "warm", t.getValue().client(), headers, t.getValue().body(), 1000, 10_000, stream);
                    if (r.errors() > 0) {
                        System.out.println("warning: " + r.errors() + " errors warming up " + t.getKey());
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "%nopen loop, OpenAI chat completions%s, %d s per target and rate, upstream %d ms, audit sync %s, %d cores%n",
                        stream ? " (SSE), latency = time to first byte" : ", latency = whole answer",
                        seconds,
                        upstreamMs,
                        auditSync,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf(
                        Locale.ROOT,
                        "%-20s %6s %8s %6s %8s %8s %9s %9s %9s %10s %9s %9s%n",
                        "target",
                        "rate",
                        "achieved",
                        "errors",
                        "p50 us",
                        "p99 us",
                        "p99.9 us",
                        "added p50",
                        "added p99",
                        "proxy cpu",
                        "cpu/nginx",
                        "rss MB");
                for (int rate : rates) {
                    double directP50 = 0;
                    double directP99 = 0;
                    double nginxCpu = Double.NaN;
                    for (Map.Entry<String, Target> e : targets.entrySet()) {
                        String name = e.getKey();
                        Target t = e.getValue();
                        long cpuBefore = t.cpu() == null ? 0 : t.cpu().getAsLong();
                        ClosedLoopLoad.Result r =
                                OpenLoopLoad.run(name, t.client(), headers, t.body(), rate, seconds * 1000L, stream);
                        long cpu = t.cpu() == null ? 0 : t.cpu().getAsLong() - cpuBefore;
                        double cpuPerRequest = cpu / 1000.0 / Math.max(1, r.requests() + r.errors());
                        double p50 = r.percentileMicros(50);
                        double p99 = r.percentileMicros(99);
                        if (name.equals("direct")) {
                            directP50 = p50;
                            directP99 = p99;
                        }
                        if (name.equals("nginx")) {
                            nginxCpu = cpuPerRequest;
                        }
                        long rss = t.rss() == null ? 0 : t.rss().getAsLong();
                        System.out.printf(
                                Locale.ROOT,
                                "%-20s %6d %8.0f %6d %8.0f %8.0f %9.0f %9s %9s %10s %9s %9s%n",
                                name,
                                rate,
                                r.rps(),
                                r.errors(),
                                p50,
                                p99,
                                r.percentileMicros(99.9),
                                name.equals("direct") ? "" : String.format(Locale.ROOT, "%+.0f", p50 - directP50),
                                name.equals("direct") ? "" : String.format(Locale.ROOT, "%+.0f", p99 - directP99),
                                t.cpu() == null ? "" : String.format(Locale.ROOT, "%.1f us", cpuPerRequest),
                                t.cpu() == null || Double.isNaN(nginxCpu)
                                        ? ""
                                        : String.format(Locale.ROOT, "%.2f", cpuPerRequest / nginxCpu),
                                rss == 0 ? "" : String.format(Locale.ROOT, "%.0f", rss / 1e6));
                    }
                }
                int users = Integer.getInteger("meridian.bench.users", 64);
                if (users > 0 && !stream) {
                    System.out.printf(
                            Locale.ROOT,
                            "%nmax sustained: closed loop, %d concurrent users, %d s per target%n%-20s %9s %9s %9s %10s%n",
                            users,
                            seconds,
                            "target",
                            "req/s",
                            "p50 us",
                            "vs direct",
                            "vs nginx");
                    double directRps = Double.NaN;
                    double nginxRps = Double.NaN;
                    for (Map.Entry<String, Target> e : targets.entrySet()) {
                        ClosedLoopLoad.Result r = ClosedLoopLoad.run(
                                e.getKey(),
                                e.getValue().client(),
                                headers,
                                e.getValue().body(),
                                users,
                                seconds * 1000L);
                        double rps = r.rps();
                        if (e.getKey().equals("direct")) {
                            directRps = rps;
                        }
                        if (e.getKey().equals("nginx")) {
                            nginxRps = rps;
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "%-20s %9.0f %9.0f %9s %10s%n",
                                e.getKey(),
                                rps,
                                r.percentileMicros(50),
                                e.getKey().equals("direct") ? "" : String.format(Locale.ROOT, "%.2f", rps / directRps),
                                Double.isNaN(nginxRps) || e.getKey().equals("nginx")
                                        ? ""
                                        : String.format(Locale.ROOT, "%.2f", rps / nginxRps));
                    }
                }
            } finally {
                if (nginx != null) {
                    nginx.close();
                }
            }
        }
        System.exit(0);
    }

    /** One measured path: its client and body, and the CPU time and memory of its proxy process (none: null). */
    private record Target(
            WebClient client, byte[] body, java.util.function.LongSupplier cpu, java.util.function.LongSupplier rss) {}

    private static byte[] body(String model, boolean stream) {
        return ("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the residency rules.\"}],"
                        + "\"max_tokens\":64,\"stream\":" + stream + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
