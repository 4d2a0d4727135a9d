package dev.meridian.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import dev.meridian.server.MeridianServer;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.sim.RegionSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gateway overhead, measured: the same Converse load, in one run and one process, sent (a) directly to a bare
 * simulator endpoint, (b) through nginx as a plain reverse proxy to that endpoint (when Debian's nginx is
 * installed), and (c) through Meridian to the same simulator model, once as an in-region call and once through
 * the EU profile. Both upstreams answer after the same fixed simulated latency. Phases are interleaved
 * (direct, meridian, profile, direct, ...) so drift in the machine's state hits all targets alike.
 *
 * <p>Usage: {@code GatewayOverhead [concurrency] [seconds-per-phase] [rounds] [upstream-ms]}.
 */
public final class GatewayOverhead {
    private GatewayOverhead() {}

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int upstreamMs = args.length > 3 ? Integer.parseInt(args[3]) : 20;

        MeridianConfig config = BenchFixture.config(upstreamMs, "1.0e12", "disk");
        byte[] body = BenchFixture.CONVERSE_BODY;
        String model = BenchFixture.MODEL;

        try (MeridianServer meridian = MeridianServer.start(config);
                RegionSimulator directSim = BenchFixture.directSimulator(config);
                DirectSimulatorServer direct = new DirectSimulatorServer(directSim, "eu-central-1");
                ClientFactory factory =
                        ClientFactory.builder().maxNumEventLoopsPerEndpoint(1).build()) {
            WebClient directClient = BenchFixture.client(factory, direct.port());
            WebClient meridianClient = BenchFixture.client(factory, meridian.port());
            NginxProxy nginx = NginxProxy.available() ? NginxProxy.start(direct.port()) : null;
            if (nginx == null) {
                System.out.println("nginx not found at " + NginxProxy.BINARY + ": the nginx baseline is skipped");
            }
            WebClient nginxClient = nginx == null ? null : BenchFixture.client(factory, nginx.port());
            var directHeaders = ConverseRequests.bearer("/model/" + model + "/converse");
            var inRegionHeaders = ConverseRequests.bearer("/model/" + model + "/converse");
            var profileHeaders = ConverseRequests.bearer("/model/eu." + model + "/converse");

            System.out.printf("warm-up (%d s per target)...%n", Math.max(3, seconds / 2));
            long warm = Math.max(3, seconds / 2) * 1000L;
            ClosedLoopLoad.run("warm", directClient, directHeaders, body, concurrency, warm);
            if (nginxClient != null) {
                ClosedLoopLoad.run("warm", nginxClient, directHeaders, body, concurrency, warm);
            }
            ClosedLoopLoad.run("warm", meridianClient, inRegionHeaders, body, concurrency, warm);
            ClosedLoopLoad.run("warm", meridianClient, profileHeaders, body, concurrency, warm);

            List<ClosedLoopLoad.Result> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                results.add(
                        ClosedLoopLoad.run("direct", directClient, directHeaders, body, concurrency, seconds * 1000L));
                if (nginxClient != null) {
                    results.add(ClosedLoopLoad.run(
                            "nginx", nginxClient, directHeaders, body, concurrency, seconds * 1000L));
                }
                results.add(ClosedLoopLoad.run(
                        "meridian-in-region", meridianClient, inRegionHeaders, body, concurrency, seconds * 1000L));
                results.add(ClosedLoopLoad.run(
                        "meridian-eu-profile", meridianClient, profileHeaders, body, concurrency, seconds * 1000L));
            }
            report(results, concurrency, seconds, rounds, upstreamMs);
            if (nginx != null) {
                nginx.close();
            }
        }
    }

    private static void report(
            List<ClosedLoopLoad.Result> results, int concurrency, int seconds, int rounds, int upstreamMs) {
        System.out.printf(
                Locale.ROOT,
                "%nclosed loop, %d concurrent users, %d x %d s per target, upstream latency %d ms, %d cores%n",
                concurrency,
                rounds,
                seconds,
                upstreamMs,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "%-22s %10s %8s %10s %10s %10s %8s%n",
                "target",
                "requests",
                "errors",
                "req/s",
                "p50 us",
                "p99 us",
                "p99.9 us");
        double directP50 = 0;
        double directP99 = 0;
        double directRps = 0;
        double nginxRps = 0;
        for (String name : List.of("direct", "nginx", "meridian-in-region", "meridian-eu-profile")) {
            List<ClosedLoopLoad.Result> rs =
                    results.stream().filter(r -> r.name().equals(name)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            long requests =
                    rs.stream().mapToLong(ClosedLoopLoad.Result::requests).sum();
            long errors = rs.stream().mapToLong(ClosedLoopLoad.Result::errors).sum();
            double secs =
                    rs.stream().mapToDouble(ClosedLoopLoad.Result::seconds).sum();
            long[] all = rs.stream()
                    .flatMapToLong(r -> java.util.Arrays.stream(r.sortedMicros()))
                    .sorted()
                    .toArray();
            ClosedLoopLoad.Result merged = new ClosedLoopLoad.Result(name, requests, errors, secs, all, "");
            double p50 = merged.percentileMicros(50);
            double p99 = merged.percentileMicros(99);
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %10d %8d %10.0f %10.0f %10.0f %8.0f%n",
                    name,
                    requests,
                    errors,
                    merged.rps(),
                    p50,
                    p99,
                    merged.percentileMicros(99.9));
            if (name.equals("direct")) {
                directP50 = p50;
                directP99 = p99;
                directRps = merged.rps();
            } else {
                if (name.equals("nginx")) {
                    nginxRps = merged.rps();
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-22s added p50 %+.0f us, added p99 %+.0f us, throughput ratio %.3f%s%n",
                        "",
                        p50 - directP50,
                        p99 - directP99,
                        merged.rps() / directRps,
                        nginxRps > 0 && !name.equals("nginx")
                                ? String.format(Locale.ROOT, " (%.2f of nginx's)", merged.rps() / nginxRps)
                                : "");
            }
        }
    }
}
