package dev.meridian.lab;

import dev.meridian.sim.ServingProfile;
import java.util.List;
import java.util.Map;

/**
 * One experiment for the routing lab: what is invoked, from where, how much, on what fleet, and what breaks.
 * Read from YAML by {@link ScenarioReader}; every duration is in seconds of simulated time.
 *
 * @param name short identifier, used in file names
 * @param description one sentence for the report
 * @param seed seeds every random choice: the same seed gives the same report
 * @param durationSeconds simulated time covered by arrivals
 * @param invoke the model id or inference profile id called, e.g. {@code eu.amazon.nova-2-lite-v1:0}
 * @param fleet the simulated servers
 * @param traffic arrivals per source region
 * @param inputTokens new input tokens per request (on top of the conversation so far)
 * @param outputTokens tokens generated per answer (capped by {@code maxTokens})
 * @param maxTokens the output limit each request sets (what token-aware admission reserves)
 * @param conversations how requests group into conversations that share a cacheable prefix
 * @param faults what goes wrong, and when
 * @param policies the routing policies compared, by {@link Policies} name
 * @param binSeconds width of one time bin in the report's plots
 * @param gateways how many gateways serve each source region, and what they know of each other's load
 */
public record Scenario(
        String name,
        String description,
        long seed,
        double durationSeconds,
        String invoke,
        Fleet fleet,
        List<Traffic> traffic,
        TokenDistribution inputTokens,
        TokenDistribution outputTokens,
        int maxTokens,
        Conversations conversations,
        List<Fault> faults,
        List<String> policies,
        double binSeconds,
        Gateways gateways) {

    public Scenario {
        traffic = List.copyOf(traffic);
        faults = List.copyOf(faults);
        policies = List.copyOf(policies);
        requireKnownOnce(policies);
    }

    /** The compared policies come from the file or the command line; each must exist and be named once. */
    private static void requireKnownOnce(List<String> policies) {
        if (policies.isEmpty()) {
            throw new ScenarioException("policies: expected at least one of " + Policies.NAMES);
        }
        for (int i = 0; i < policies.size(); i++) {
            String name = policies.get(i);
            if (!Policies.NAMES.contains(name)) {
                throw new ScenarioException(
                        "policies: unknown policy '" + name + "' (expected one of " + Policies.NAMES + ")");
            }
            if (policies.indexOf(name) != i) {
                throw new ScenarioException("policies: '" + name + "' is named twice");
            }
        }
    }

    /** The same scenario under another seed. */
    public Scenario withSeed(long newSeed) {
        return copy(newSeed, policies);
    }

    /** The same scenario comparing only {@code names}. */
    public Scenario withPolicies(List<String> names) {
        return copy(seed, names);
    }

    private Scenario copy(long newSeed, List<String> newPolicies) {
        return new Scenario(
                name,
                description,
                newSeed,
                durationSeconds,
                invoke,
                fleet,
                traffic,
                inputTokens,
                outputTokens,
                maxTokens,
                conversations,
                faults,
                newPolicies,
                binSeconds,
                gateways);
    }

    /**
     * The gateway pool of each source region. Each gateway routes on what it has seen itself (its own in-flight
     * counts, latencies, failures and prompt prefixes), as production gateways do; servers' load reports (vLLM's
     * gauges, polled by {@code VllmMetricsPoller} in production) are how one gateway learns of the others' load.
     *
     * @param perSource gateways behind each source region's load balancer (1 = one gateway per source region, seeing all of that region's traffic and none of the others')
     * @param sticky whether the load balancer keeps a conversation on one gateway (by a hash of it) or spreads
     *     requests at random
     * @param loadReportSeconds how often each gateway reads every server's utilization (0 = never)
     */
    public record Gateways(int perSource, boolean sticky, double loadReportSeconds) {}

    /**
     * The simulated model servers.
     *
     * @param defaults serving profile of every destination not listed
     * @param regions per-region profiles
     * @param queue requests a destination holds waiting for a free sequence before it throttles (0 = throttle at
     *     capacity, like Bedrock)
     * @param prefixCacheTokens prompt-cache size per destination, in tokens (0 = no cache)
     */
    public record Fleet(
            ServingProfile defaults, Map<String, ServingProfile> regions, int queue, long prefixCacheTokens) {
        public Fleet {
            regions = Map.copyOf(regions);
        }

        public ServingProfile profile(String region) {
            return regions.getOrDefault(region, defaults);
        }
    }

    /**
     * Poisson arrivals from one source region, optionally with a peak: the rate rises smoothly (a Gaussian bump)
     * to {@code peakFactor} times the base around {@code peakAtSeconds}.
     */
    public record Traffic(
            String source, double ratePerSecond, double peakAtSeconds, double peakWidthSeconds, double peakFactor) {

        /** Arrival rate at time {@code t} seconds. */
        public double rateAt(double t) {
            if (peakFactor == 1.0 || peakWidthSeconds <= 0) {
                return ratePerSecond;
            }
            double z = (t - peakAtSeconds) / peakWidthSeconds;
            return ratePerSecond * (1 + (peakFactor - 1) * Math.exp(-0.5 * z * z));
        }

        public double maxRate() {
            return ratePerSecond * Math.max(1.0, peakFactor);
        }
    }

    /** A log-normal token count: {@code median}, spread {@code sigma} (0 = always the median), at most {@code max}. */
    public record TokenDistribution(int median, double sigma, int max) {}

    /**
     * Requests belong to conversations: a request continues one of the {@code active} open conversations of its
     * source with probability {@code 1 - 1/turns}, or starts a new one. A conversation starts with a
     * {@code systemTokens} system prompt and grows by every question and answer; all of it is the prefix a model
     * server can have cached.
     */
    public record Conversations(double turns, int systemTokens, int active) {}

    /**
     * Something going wrong in one region between {@code fromSeconds} and {@code toSeconds}.
     *
     * @param kind what happens
     * @param factor for {@link FaultKind#CAPACITY}: the share of capacity left (0.25 = a quarter)
     * @param extraMillis for {@link FaultKind#LATENCY}: added to every time to first token
     * @param periodSeconds for {@link FaultKind#FLAP}: one down-and-up cycle
     * @param downSeconds for {@link FaultKind#FLAP}: how long it is down in each cycle
     */
    public record Fault(
            String region,
            FaultKind kind,
            double fromSeconds,
            double toSeconds,
            double factor,
            double extraMillis,
            double periodSeconds,
            double downSeconds) {

        boolean activeAt(double t) {
            return t >= fromSeconds && t < toSeconds;
        }

        boolean downAt(double t) {
            if (!activeAt(t)) {
                return false;
            }
            return kind == FaultKind.DOWN
                    || (kind == FaultKind.FLAP && (t - fromSeconds) % periodSeconds < downSeconds);
        }
    }

    /** The kinds of fault a scenario can inject. */
    public enum FaultKind {
        /** The region refuses connections; work in flight there is lost. */
        DOWN,
        /** The region keeps only a share of its capacity (a capacity crunch). */
        CAPACITY,
        /** Every first token from the region comes later (a latency spike). */
        LATENCY,
        /** The region goes down and comes back periodically. */
        FLAP
    }
}
