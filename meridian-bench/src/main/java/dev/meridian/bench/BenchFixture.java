package dev.meridian.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.SessionProtocol;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.server.config.ConfigLoader;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.sim.RegionSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * What the end-to-end benchmarks share: a Meridian configuration whose EU regions are all 0 ms from Frankfurt
 * (so the EU profile ranks six equal destinations), a bare simulator configured identically for the direct
 * baseline, the Converse body, and loopback clients.
 */
final class BenchFixture {
    static final String MODEL = "amazon.nova-2-lite-v1:0";

    /** A short Converse request with a 64-token answer. */
    static final byte[] CONVERSE_BODY =
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Summarise the residency rules.\"}]}],\"inferenceConfig\":{\"maxTokens\":64}}"
                    .getBytes(StandardCharsets.UTF_8);

    private BenchFixture() {}

    /** The open-loop benchmarks' arguments: {@code [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]}. */
    record OpenLoopArgs(int seconds, int upstreamMs, int[] rates) {
        static OpenLoopArgs parse(String[] args) {
            return new OpenLoopArgs(
                    args.length > 0 ? Integer.parseInt(args[0]) : 10,
                    args.length > 1 ? Integer.parseInt(args[1]) : 0,
                    args.length > 2
                            ? java.util.Arrays.stream(args, 2, args.length)
                                    .mapToInt(Integer::parseInt)
                                    .toArray()
                            : new int[] {1000, 5000});
        }
    }

    /** Whether {@code target} runs: {@code -Dmeridian.bench.targets} names it, or is not set (all run). */
    static boolean named(String target) {
        List<String> named = namedTargets();
        return named == null || named.contains(target);
    }

    /**
     * The targets to run, in order: all of {@code available} unless {@code -Dmeridian.bench.targets=direct,...}
     * names some (direct first, since the others are compared with it).
     */
    static List<String> chosenTargets(Collection<String> available) {
        List<String> order = namedTargets();
        if (order == null) {
            return List.copyOf(available);
        }
        if (!order.get(0).equals("direct") || !available.containsAll(order)) {
            throw new IllegalArgumentException("meridian.bench.targets: " + String.join(",", order)
                    + " (expected: direct first, then any of " + available + ")");
        }
        return order;
    }

    /** The targets {@code -Dmeridian.bench.targets} names, in its order; null when it is not set. */
    private static List<String> namedTargets() {
        String chosen = System.getProperty("meridian.bench.targets");
        return chosen == null ? null : List.of(chosen.split(","));
    }

    /**
     * A gateway on a free port and a fresh data directory; the simulator answers after {@code ttftMs} and
     * decodes {@code decodeTokensPerSecond} (e.g. {@code 1.0e12}: at once).
     */
    static MeridianConfig config(int ttftMs, String decodeTokensPerSecond, String auditSync) throws IOException {
        return ConfigLoader.fromYaml("""
                        server: {port: 0}
                        simulator:
                          timeScale: 1.0
                          defaults: {capacity: 100000, ttftMs: %d, prefillTokensPerSecond: 1.0e12, decodeTokensPerSecond: %s}
                        catalog:
                          rttOverrides: {"eu-central-1|eu-central-1": 0, "eu-central-1|eu-west-1": 0, "eu-central-1|eu-west-3": 0,
                                         "eu-central-1|eu-north-1": 0, "eu-central-1|eu-south-1": 0, "eu-central-1|eu-south-2": 0}
                        audit: {sync: %s}
                        """.formatted(ttftMs, decodeTokensPerSecond, auditSync))
                .withDataDirectory(ScratchFiles.directory("meridian-bench"));
    }

    /** A simulator with the same serving profile and round trips as {@code config}'s, for the direct baseline. */
    static RegionSimulator directSimulator(MeridianConfig config) {
        return RegionSimulator.builder(RoundTripTimes.estimate(config.catalog(), config.rttOverrides()))
                .defaults(config.simulator().defaults())
                .timeScale(1.0)
                .build();
    }

    /** A plain HTTP/1.1 client of a loopback port. */
    static WebClient client(ClientFactory factory, int port) {
        return WebClient.builder(SessionProtocol.H1C, Endpoint.of("127.0.0.1", port))
                .factory(factory)
                .build();
    }
}
