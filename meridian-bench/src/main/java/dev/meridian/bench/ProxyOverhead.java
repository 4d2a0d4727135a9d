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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Meridian as a proxy, measured like nginx: every path ends at the same upstream over the same kind of hop, and
 * each proxy runs in its own process, so its CPU per request and resident memory are its own.
 *
 * <p>The upstream speaks vLLM's OpenAI-compatible API, in this JVM with the load generator: by default
 * ({@code -Dmeridian.bench.upstream=fixed}) it replays answers recorded at start from the simulated model server
 * ({@link FixedAnswerUpstream}: a fixed-latency upstream whose answers cost almost no CPU), and with
 * {@code -Dmeridian.bench.upstream=simulator} that server ({@link SimulatorHttpServer}) generates every answer, as
 * in the passes before the twenty-first. {@code direct} sends OpenAI chat completions to it; {@code nginx} sends them
 * through nginx as a plain reverse proxy; {@code meridian-*} sends them to a Meridian gateway in its own JVM,
 * whose destinations are OpenAI-compatible upstreams pointing at that server, so Meridian authenticates,
 * resolves, applies residency and policy, routes, audits (durably) and then makes the same loopback hop nginx
 * makes. Open loop, latency from the intended send time. {@code meridian-converse} calls the same gateway through
 * its Bedrock surface (Converse with the EU profile, a Bedrock API key), which translates to the same OpenAI
 * upstream; {@code meridian-converse-sigv4} does the same signed with SigV4, as AWS SDK clients send it by default
 * (signed by the AWS SDK's signer once per phase, since the bytes repeat; the gateway verifies every request).
 *
 * <p>Usage: {@code ProxyOverhead [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]};
 * {@code -Dmeridian.bench.stream=true} streams (SSE) and measures time to first byte;
 * {@code -Dmeridian.bench.auditSync=os} runs the gateway with {@code audit.sync: os};
 * {@code -Dmeridian.bench.embedded=true} adds {@code meridian-no-hop}: a second gateway answering from its embedded
 * simulator (same profile, same surface, no upstream hop), to tell the hop's cost from the rest. After the
 * open-loop rates, a closed loop of {@code -Dmeridian.bench.users=64} concurrent users (0 = skip; not with
 * streams) measures each target's maximum sustained requests per second; {@code -Dmeridian.bench.targets=direct,...}
 * runs only the targets named; {@code -Dmeridian.bench.rounds=N} repeats the closed loop N times, the gateways'
 * order rotated by one place each round, and prints medians and each round's ratios;
 * {@code -Dmeridian.bench.openRounds=N} repeats each open-loop rate N times, the gateways' order rotated likewise; {@code -Dmeridian.bench.variant="JVM options"} adds {@code meridian-variant}, a second gateway like
 * the first but started with those options, and {@code -Dmeridian.bench.variantClassPath=JAR} runs that second gateway
 * from another build, e.g. an earlier commit's {@code meridian-bench.jar} (A/B comparisons in one run), and
 * {@code -Dmeridian.bench.firstClassPath=JAR} the first gateway, so that an A/B can be run with the builds in each
 * other's slot ({@code bench/ab.sh});
 * {@code -Dmeridian.bench.upstreamProtocol=http1} speaks HTTP/1.1 to the upstream (default {@code auto}: h2c), and
 * {@code -Dmeridian.bench.variantUpstreamProtocol=http1} starts the variant (also without other options) so; {@code -Dmeridian.bench.warmup=20} sets the warm-up per target in seconds (a closed loop
 * of 16 users), continued for a measured proxy until its CPU per request is steady (at most
 * {@code -Dmeridian.bench.warmupMax=120} seconds), followed by {@code -Dmeridian.bench.settle=10} seconds per target at the first open-loop rate, not
 * measured: the JIT compiler adapts to each new load (profiled: seconds of C2 compilation when a saturating warm-up
 * gives way to a moderate rate), so without the settle phase the first rate's CPU per request and tail include the
 * compiler's work.
 *
 * <p>Two more proxies, each in its own JVM like the gateway, tell the HTTP stack's share from Meridian's own:
 * {@code armeria-proxy} ({@link ArmeriaProxy}: the gateway's Armeria server and client, proxying and nothing else)
 * and {@code netty-proxy} ({@link NettyProxy}: a proxy on Netty alone; not with streams). With
 * {@code -Dmeridian.bench.loadGenerator=wrk} the closed loops are sent by wrk ({@link WrkLoad}) instead of this JVM,
 * with {@code -Dmeridian.bench.wrkConnections=1,64} connections, and the open loop is skipped.
 */
public final class ProxyOverhead {
    static final String MODEL = BenchFixture.MODEL;
    private static final int WARM_SLICE_SECONDS = 5;
    static final List<String> EU =
            List.of("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2");

    private ProxyOverhead() {}

    /**
     * The measured gateway's configuration: the EU regions all served by {@code upstreams}, round trips of 0 between
     * them (every destination is the same loopback server), the audit synced as {@code auditSync} says.
     */
    static String gatewayYaml(Path dataDirectory, String auditSync, String upstreams) {
        return """
                server: {port: 0, bindAddress: 127.0.0.1, dataDirectory: "%s"}
                catalog:
                  rttOverrides: {"eu-central-1|eu-central-1": 0, "eu-central-1|eu-west-1": 0, "eu-central-1|eu-west-3": 0,
                                 "eu-central-1|eu-north-1": 0, "eu-central-1|eu-south-1": 0, "eu-central-1|eu-south-2": 0}
                audit: {sync: %s}
                upstreams:
                %s""".formatted(dataDirectory, auditSync, upstreams);
    }

    /**
     * The gateway's upstreams: every EU region served by the one upstream on {@code port}, spoken to in
     * {@code protocol} ({@code auto}: h2c, which the benchmark's Armeria upstream accepts; {@code http1}: as vLLM's
     * server and nginx's upstream connections speak).
     */
    static String upstreams(int port, String protocol) {
        StringBuilder upstreams = new StringBuilder();
        for (String region : EU) {
            upstreams.append(String.format(
                    "  - {region: %s, model: \"%s\", provider: openai-compatible, baseUrl: \"http://127.0.0.1:%d/v1\", modelName: \"%s\", protocol: %s}%n",
                    region, MODEL, port, MODEL, protocol));
        }
        return upstreams.toString();
    }

    /**
     * The simulated model server for the benchmark's model in {@code eu-central-1}, on a free loopback port: room for
     * {@code capacity} sequences, its first token after {@code firstTokenMs}, prefill and decode as good as instant.
     */
    static SimulatorHttpServer simulatedUpstream(int capacity, int firstTokenMs) {
        var catalog = ConfigLoader.defaults().catalog();
        RegionSimulator sim = RegionSimulator.builder(RoundTripTimes.estimate(catalog, Map.of()))
                .defaults(new ServingProfile(capacity, firstTokenMs, 1.0e12, 1.0e12))
                .build();
        return SimulatorHttpServer.start(sim, "eu-central-1", List.of(MODEL), "127.0.0.1", 0);
    }

    public static void main(String[] args) throws Exception {
        BenchFixture.OpenLoopArgs parsed = BenchFixture.OpenLoopArgs.parse(args);
        int seconds = parsed.seconds();
        int upstreamMs = parsed.upstreamMs();
        int[] rates = parsed.rates();
        boolean stream = Boolean.getBoolean("meridian.bench.stream");
        String auditSync = System.getProperty("meridian.bench.auditSync", "disk");
        String upstreamKind = System.getProperty("meridian.bench.upstream", "fixed");
        boolean replay = switch (upstreamKind) {
            case "fixed" -> true;
            case "simulator" -> false;
            default ->
                throw new IllegalArgumentException(
                        "meridian.bench.upstream: " + upstreamKind + " (expected: fixed or simulator)");
        };
        try (SimulatorHttpServer simulator = simulatedUpstream(100_000, upstreamMs);
                FixedAnswerUpstream fixed =
                        replay ? FixedAnswerUpstream.start(simulator, MODEL, Duration.ofMillis(upstreamMs)) : null;
                ClientFactory factory = ClientFactory.builder().build()) {
            int upstreamPort = replay ? fixed.port() : simulator.port();
            System.out.printf(
                    "upstream: %s%n",
                    replay
                            ? "the simulator's answers replayed (-Dmeridian.bench.upstream=fixed)"
                            : "the simulator generating each answer (-Dmeridian.bench.upstream=simulator)");
            String upstreamProtocol = System.getProperty("meridian.bench.upstreamProtocol", "auto");
            String variantUpstreamProtocol = System.getProperty("meridian.bench.variantUpstreamProtocol", "")
                    .trim();
            String upstreams = upstreams(upstreamPort, upstreamProtocol);
            String yaml = gatewayYaml(ScratchFiles.directory("meridian-bench-gateway"), auditSync, upstreams);
            NginxProxy nginx = NginxProxy.available() ? NginxProxy.start(upstreamPort) : null;
            boolean embedded = Boolean.getBoolean("meridian.bench.embedded");
            String embeddedYaml =
                    """
                    server: {port: 0, bindAddress: 127.0.0.1, dataDirectory: "%s"}
                    simulator: {defaults: {capacity: 100000, ttftMs: %d, prefillTokensPerSecond: 1.0e12, decodeTokensPerSecond: 1.0e12}}
                    catalog:
                      rttOverrides: {"eu-central-1|eu-central-1": 0, "eu-central-1|eu-west-1": 0, "eu-central-1|eu-west-3": 0,
                                     "eu-central-1|eu-north-1": 0, "eu-central-1|eu-south-1": 0, "eu-central-1|eu-south-2": 0}
                    audit: {sync: %s}
                    """.formatted(ScratchFiles.directory("meridian-bench-embedded"), upstreamMs, auditSync);
            String variantArgs =
                    System.getProperty("meridian.bench.variant", "").trim();
            String variantClassPath =
                    System.getProperty("meridian.bench.variantClassPath", "").trim();
            boolean plainProxy = BenchFixture.named("armeria-proxy");
            boolean nettyProxy = BenchFixture.named("netty-proxy") && !stream; // it relays whole messages only
            String firstClassPath =
                    System.getProperty("meridian.bench.firstClassPath", "").trim();
            try (GatewayProcess meridian = firstClassPath.isEmpty()
                            ? GatewayProcess.start(yaml)
                            : GatewayProcess.start(yaml, GatewayProcess.gatewayJvmArgs(), firstClassPath);
                    GatewayProcess armeria = plainProxy
                            ? GatewayProcess.startServer(
                                    ArmeriaProxy.class.getName(),
                                    List.of(String.valueOf(upstreamPort), stream ? "stream" : "aggregate"))
                            : null;
                    GatewayProcess netty = nettyProxy
                            ? GatewayProcess.startServer(
                                    NettyProxy.class.getName(), List.of(String.valueOf(upstreamPort)))
                            : null;
                    GatewayProcess noHop = embedded ? GatewayProcess.start(embeddedYaml) : null;
                    GatewayProcess variant =
                            variantArgs.isEmpty() && variantClassPath.isEmpty() && variantUpstreamProtocol.isEmpty()
                                    ? null
                                    : GatewayProcess.start(
                                            gatewayYaml(
                                                    ScratchFiles.directory("meridian-bench-variant"),
                                                    auditSync,
                                                    variantUpstreamProtocol.isEmpty()
                                                            ? upstreams
                                                            : upstreams(upstreamPort, variantUpstreamProtocol)),
                                            GatewayProcess.jvmArgs(variantArgs),
                                            variantClassPath.isEmpty()
                                                    ? System.getProperty("java.class.path")
                                                    : variantClassPath)) {
                Map<String, Target> available = new LinkedHashMap<>();
                available.put(
                        "direct",
                        new Target(
                                BenchFixture.client(factory, upstreamPort),
                                ProxyOverhead::openAiHeaders,
                                body(MODEL, stream),
                                null,
                                null,
                                null));
                if (nginx != null) {
                    available.put(
                            "nginx",
                            new Target(
                                    BenchFixture.client(factory, nginx.port()),
                                    ProxyOverhead::openAiHeaders,
                                    body(MODEL, stream),
                                    nginx::cpuNanos,
                                    nginx::rssBytes,
                                    nginx::contextSwitches));
                } else {
                    System.out.println("nginx not found at " + NginxProxy.BINARY + ": the nginx baseline is skipped");
                }
                if (armeria != null) {
                    available.put(
                            "armeria-proxy",
                            target(armeria, factory, ProxyOverhead::openAiHeaders, body(MODEL, stream)));
                }
                if (netty != null) {
                    available.put(
                            "netty-proxy", target(netty, factory, ProxyOverhead::openAiHeaders, body(MODEL, stream)));
                }
                Map<String, GatewayCall> calls = gatewayCalls(factory, stream);
                calls.forEach((name, call) -> available.put(name, call.on(meridian)));
                if (noHop != null) {
                    available.put(
                            "meridian-no-hop", calls.get("meridian-eu-profile").on(noHop));
                }
                if (variant != null) {
                    String variantCalls = variantCalls();
                    if (!calls.containsKey(variantCalls)) {
                        throw new IllegalArgumentException("meridian.bench.variantCalls: " + variantCalls
                                + " (expected one of " + calls.keySet() + ")");
                    }
                    available.put("meridian-variant", calls.get(variantCalls).on(variant));
                }
                // in the order named: swapping two gateways' positions is how an A/B sees the position effect
                Map<String, Target> targets = new LinkedHashMap<>();
                BenchFixture.chosenTargets(available.keySet()).forEach(name -> targets.put(name, available.get(name)));

                warmUp(targets);
                settle(targets, rates[0], stream);
                int rounds = Integer.getInteger("meridian.bench.rounds", 1);
                if (System.getProperty("meridian.bench.loadGenerator", "jvm").equals("wrk")) {
                    wrkRounds(targets, seconds, rounds);
                } else {
                    openLoop(targets, rates, seconds, stream, upstreamMs, auditSync);
                    int users = Integer.getInteger("meridian.bench.users", 64);
                    if (users > 0 && !stream) {
                        maxSustained(targets, users, seconds, rounds);
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

    /**
     * Each target with a closed loop of 16 users for {@code -Dmeridian.bench.warmup} seconds, then, for a proxy whose
     * CPU is measured, in 5 s slices of the same load until its CPU per request is steady ({@link SteadyState}: the
     * JIT compiler done), up to {@code -Dmeridian.bench.warmupMax} seconds in all. A closed loop for streams too:
     * 1,000 streams/s open loop against a cold gateway overran it (thousands of refused connections while the JIT
     * caught up).
     */
    private static void warmUp(Map<String, Target> targets) throws InterruptedException {
        int warmup = Integer.getInteger("meridian.bench.warmup", 20);
        int max = Math.max(warmup, Integer.getInteger("meridian.bench.warmupMax", 120));
        System.out.printf(
                Locale.ROOT,
                "warm-up (closed loop, 16 users: %d s per target, then until its CPU per request is steady, at most %d s)...%n",
                warmup,
                max);
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            Target t = e.getValue();
            warmSlice(e.getKey(), t, warmup);
            if (t.cpu() == null) {
                continue;
            }
            SteadyState state = new SteadyState(0.05);
            StringBuilder slices = new StringBuilder();
            boolean steady = false;
            int spent = warmup;
            while (!steady && spent + WARM_SLICE_SECONDS <= max) {
                long cpuBefore = t.cpuNow();
                ClosedLoopLoad.Result r = warmSlice(e.getKey(), t, WARM_SLICE_SECONDS);
                double cpu = t.cpuPerRequest(cpuBefore, r::microsPerRequest);
                if (!(cpu > 0)) {
                    break; // no CPU time readable (not Linux, or the process gone): nothing to wait for
                }
                slices.append(slices.isEmpty() ? "" : " ").append(Math.round(cpu));
                steady = state.steadyAfter(cpu);
                spent += WARM_SLICE_SECONDS;
            }
            System.out.printf(
                    Locale.ROOT,
                    "  %s: %d s%s%n",
                    e.getKey(),
                    spent,
                    slices.isEmpty()
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%s (CPU per request by %d s slice: %s us)",
                                    steady ? "" : ", not steady yet",
                                    WARM_SLICE_SECONDS,
                                    slices));
        }
    }

    private static ClosedLoopLoad.Result warmSlice(String name, Target t, int seconds) throws InterruptedException {
        ClosedLoopLoad.Result r =
                ClosedLoopLoad.run("warm", t.client(), t.headers().get(), t.body(), 16, seconds * 1000L);
        if (r.errors() > 0) {
            System.out.println("warning: " + r.errors() + " errors warming up " + name + " (" + r.errorCauses() + ")");
        }
        return r;
    }

    /**
     * The open loop: each of {@code rates} for {@code seconds} per target, {@code -Dmeridian.bench.openRounds} times
     * in {@link TargetOrder}'s order, latency from the intended send time, each proxy's CPU per request, memory and
     * context switches per request (its wake-ups).
     */
    private static void openLoop(
            Map<String, Target> targets, int[] rates, int seconds, boolean stream, int upstreamMs, String auditSync)
            throws InterruptedException {
        System.out.printf(
                Locale.ROOT,
                "%nopen loop, OpenAI chat completions (meridian-converse*: Bedrock %s)%s, %d s per target and rate, upstream %d ms, audit sync %s, %d cores%n",
                stream ? "ConverseStream" : "Converse",
                stream ? " (SSE, event stream), latency = time to first byte" : ", latency = whole answer",
                seconds,
                upstreamMs,
                auditSync,
                Runtime.getRuntime().availableProcessors());
        OpenLoopTable table = new OpenLoopTable("proxy cpu", "cpu/nginx", "rss MB", "cs/req");
        int openRounds = Integer.getInteger("meridian.bench.openRounds", 1);
        for (int rate : rates) {
            for (int round = 0; round < openRounds; round++) {
                double nginxCpu = Double.NaN;
                for (String name : TargetOrder.inRound(targets.keySet(), round)) {
                    Target t = targets.get(name);
                    long cpuBefore = t.cpuNow();
                    long switchesBefore = t.switchesNow();
                    ClosedLoopLoad.Result r = OpenLoopLoad.run(
                            name, t.client(), t.headers().get(), t.body(), rate, seconds * 1000L, stream);
                    double cpuPerRequest = t.cpuPerRequest(cpuBefore, r::microsPerRequest);
                    if (name.equals("nginx")) {
                        nginxCpu = cpuPerRequest;
                    }
                    long rss = t.rss() == null ? 0 : t.rss().getAsLong();
                    table.row(
                            name,
                            rate,
                            r,
                            t.cpu() == null ? "" : String.format(Locale.ROOT, "%.1f us", cpuPerRequest),
                            t.cpu() == null || Double.isNaN(nginxCpu)
                                    ? ""
                                    : String.format(Locale.ROOT, "%.2f", cpuPerRequest / nginxCpu),
                            rss == 0 ? "" : String.format(Locale.ROOT, "%.0f", rss / 1e6),
                            t.switches() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, "%.2f", r.perRequest(t.switchesNow() - switchesBefore)));
                }
            }
        }
    }

    /**
     * Each target at the first open-loop rate for {@code -Dmeridian.bench.settle} seconds, not measured: lets each
     * JVM's compiler adapt to a moderate rate after the saturating warm-up before any phase is measured.
     */
    private static void settle(Map<String, Target> targets, int rate, boolean stream) throws InterruptedException {
        int settle = Integer.getInteger("meridian.bench.settle", 10);
        if (settle <= 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "settling (%d s per target at %d req/s, not measured)...%n", settle, rate);
        for (Target t : targets.values()) {
            OpenLoopLoad.run("settle", t.client(), t.headers().get(), t.body(), rate, settle * 1000L, stream);
        }
    }

    /**
     * The closed loop: each target in turn with {@code users} concurrent users, for {@code rounds} rounds, in
     * {@link TargetOrder}'s order (the gateways rotated by one place each round, so as many rounds as gateways give
     * each gateway every position); with several rounds, medians and each gateway's ratio to nginx by round are
     * printed last ({@link SustainedRounds}).
     */
    private static void maxSustained(Map<String, Target> targets, int users, int seconds, int rounds)
            throws InterruptedException {
        System.out.printf(
                Locale.ROOT,
                "%nmax sustained: closed loop, %d concurrent users, %d s per target, %d round(s), gateways' order rotated each round%n%s",
                users,
                seconds,
                rounds,
                SustainedRounds.header());
        SustainedRounds results = new SustainedRounds(List.copyOf(targets.keySet()));
        for (int round = 0; round < rounds; round++) {
            for (String name : TargetOrder.inRound(targets.keySet(), round)) {
                Target t = targets.get(name);
                long cpuBefore = t.cpuNow();
                ClosedLoopLoad.Result r =
                        ClosedLoopLoad.run(name, t.client(), t.headers().get(), t.body(), users, seconds * 1000L);
                double cpu = t.cpuPerRequest(cpuBefore, r::microsPerRequest);
                results.add(round, name, new SustainedRounds.Run(r.rps(), r.percentileMicros(50), cpu));
            }
            System.out.print(results.round(round));
        }
        printMedians(results, rounds);
    }

    /**
     * The closed loop sent by wrk instead of the JVM load generator ({@code -Dmeridian.bench.loadGenerator=wrk}),
     * for each of {@code -Dmeridian.bench.wrkConnections=1,64} connections, {@code rounds} rounds in
     * {@link TargetOrder}'s order; each run's p50, p99 and failures, then per connection count the rounds' table.
     */
    private static void wrkRounds(Map<String, Target> targets, int seconds, int rounds) throws Exception {
        if (!WrkLoad.available()) {
            throw new IllegalStateException("wrk not found at " + WrkLoad.BINARY + " (apt-get install wrk)");
        }
        for (String c :
                System.getProperty("meridian.bench.wrkConnections", "1,64").split(",")) {
            int connections = Integer.parseInt(c.trim());
            System.out.printf(
                    Locale.ROOT,
                    "%nwrk: closed loop, %d connection(s), 1 thread, %d s per target, %d round(s), gateways' order rotated each round%n",
                    connections,
                    seconds,
                    rounds);
            SustainedRounds results = new SustainedRounds(List.copyOf(targets.keySet()));
            StringBuilder runs = new StringBuilder();
            for (int round = 0; round < rounds; round++) {
                for (String name : TargetOrder.inRound(targets.keySet(), round)) {
                    Target t = targets.get(name);
                    long cpuBefore = t.cpuNow();
                    WrkLoad.Result r =
                            WrkLoad.run(t.client().uri().getPort(), t.headers().get(), t.body(), connections, seconds);
                    double cpu = t.cpuPerRequest(cpuBefore, r::microsPerRequest);
                    results.add(round, name, new SustainedRounds.Run(r.rps(), r.p50Micros(), cpu));
                    runs.append(String.format(
                            Locale.ROOT,
                            "round %d %-22s p50 %8.1f us  p99 %9.1f us  %9.0f req/s  %d failed%n",
                            round + 1,
                            name,
                            r.p50Micros(),
                            r.p99Micros(),
                            r.rps(),
                            r.errors()));
                }
            }
            System.out.print(runs);
            System.out.print(SustainedRounds.header());
            for (int round = 0; round < rounds; round++) {
                System.out.print(results.round(round));
            }
            printMedians(results, rounds);
        }
    }

    /** The target whose calls the A/B's second gateway gets, and which it is compared with. */
    private static String variantCalls() {
        return System.getProperty("meridian.bench.variantCalls", "meridian-eu-profile");
    }

    /**
     * With several rounds, the medians and each gateway's ratios to nginx by round; with an A/B's second gateway, how
     * it compares with the first round by round ({@link SustainedRounds#paired}).
     */
    private static void printMedians(SustainedRounds results, int rounds) {
        if (rounds > 1) {
            System.out.println("median of " + rounds + " rounds (ratios: the median of each round's own ratio):");
            System.out.print(results.summary());
        }
        String variantVersusFirst = results.paired(variantCalls(), "meridian-variant");
        if (!variantVersusFirst.isEmpty()) {
            System.out.print(variantVersusFirst);
        }
    }

    /** One way of calling a gateway process: a target for any gateway. */
    @FunctionalInterface
    private interface GatewayCall {
        Target on(GatewayProcess gateway);
    }

    /**
     * The ways the gateway targets call a gateway, by target name: OpenAI chat completions in-region and with the EU
     * profile, Bedrock Converse (or ConverseStream) with the EU profile and an API key or SigV4. The same calls serve
     * the second gateway of an A/B ({@code -Dmeridian.bench.variantCalls=<target>}, default the EU profile).
     */
    private static Map<String, GatewayCall> gatewayCalls(ClientFactory factory, boolean stream) {
        String converse = ConverseRequests.path("eu." + MODEL, stream);
        Map<String, GatewayCall> calls = new LinkedHashMap<>();
        calls.put("meridian-in-region", g -> target(g, factory, ProxyOverhead::openAiHeaders, body(MODEL, stream)));
        calls.put(
                "meridian-eu-profile",
                g -> target(g, factory, ProxyOverhead::openAiHeaders, body("eu." + MODEL, stream)));
        calls.put(
                "meridian-converse",
                g -> target(g, factory, () -> ConverseRequests.bearer(converse), BenchFixture.CONVERSE_BODY));
        calls.put(
                "meridian-converse-sigv4",
                g -> target(
                        g,
                        factory,
                        () -> ConverseRequests.sigV4(converse, g.port(), BenchFixture.CONVERSE_BODY),
                        BenchFixture.CONVERSE_BODY));
        return calls;
    }

    private static Target target(
            GatewayProcess gateway, ClientFactory factory, Supplier<RequestHeaders> headers, byte[] body) {
        return new Target(
                BenchFixture.client(factory, gateway.port()),
                headers,
                body,
                gateway::cpuNanos,
                gateway::rssBytes,
                gateway::contextSwitches);
    }

    /**
     * One measured path: its client, headers and body, and the CPU time, memory and context switches of its proxy
     * process (none: null). The headers are asked for at the start of every phase, so a SigV4 signature is never older than one
     * phase (the gateway accepts a signature for 15 minutes, as AWS does).
     */
    private record Target(
            WebClient client,
            Supplier<RequestHeaders> headers,
            byte[] body,
            java.util.function.LongSupplier cpu,
            java.util.function.LongSupplier rss,
            java.util.function.LongSupplier switches) {
        /** The proxy's CPU time so far, in nanoseconds (0 without a process of its own): read before a phase. */
        long cpuNow() {
            return cpu == null ? 0 : cpu.getAsLong();
        }

        /**
         * Microseconds of the proxy's CPU per request since {@code cpuBefore} ({@link #cpuNow}), spread over the
         * phase's requests by its load generator's {@code microsPerRequest} (each counts them its own way); NaN
         * without a process of its own.
         */
        double cpuPerRequest(long cpuBefore, java.util.function.LongToDoubleFunction microsPerRequest) {
            return cpu == null ? Double.NaN : microsPerRequest.applyAsDouble(cpu.getAsLong() - cpuBefore);
        }

        /** The proxy's context switches so far (0 without a process of its own): read before a phase. */
        long switchesNow() {
            return switches == null ? 0 : switches.getAsLong();
        }
    }

    static RequestHeaders openAiHeaders() {
        return RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                .contentType(MediaType.JSON)
                .add("authorization", "Bearer " + AuthSettings.DEMO_API_KEY)
                .build();
    }

    static byte[] body(String model, boolean stream) {
        return chatBody(model, ",\"stream\":" + stream).getBytes(StandardCharsets.UTF_8);
    }

    /** The benchmark's chat completion for {@code model}, {@code more} members appended (each after a comma). */
    static String chatBody(String model, String more) {
        return "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the residency rules.\"}],"
                + "\"max_tokens\":64" + more + "}";
    }
}
