package dev.meridian.core.route;

import dev.meridian.core.residency.AllowedDestinations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ranks the allowed destinations of a request by expected latency under live load.
 *
 * <p>The estimate for a destination is
 *
 * <pre>
 *   expected = rtt(source, region)
 *            + perToken * referenceTokens * (1 + loadSlope * utilization) * (1 + penalty + flapScore)
 * </pre>
 *
 * where {@code perToken} is the smoothed latency per output token of recent successes there (normalised so that
 * long answers do not make a region look slow; a destination without data gets the mean of the others, or a
 * prior), {@code utilization} is in-flight over known capacity, and {@code penalty} is the decaying count of
 * recent throttles and failures, and {@code flapScore} how often its circuit opened in the last minutes ({@link
 * LiveSignals#FLAP_HALF_LIFE_NANOS}). The load term models continuous batching: a model server slows down gently as its batch fills,
 * then refuses at capacity. So the nearest region wins while it has headroom, traffic spills to the next-best
 * regions as it fills up, and saturated or unreachable regions go to the back of the plan (they stay in it: the
 * caller's budget decides whether they are tried). Ties break by round trip, then region id, so plans are
 * deterministic for equal signals.
 *
 * <p>Two refinements use what is known of the request ({@link RouteRequest}). Token-aware admission: a destination
 * whose tokens-per-minute quota cannot take the request's input plus output limit counts as saturated, like one
 * at its sequence capacity. Prompt-cache affinity: the region that last served the request's prompt prefix, while
 * it is available and below {@link #AFFINITY_HEADROOM} utilization, is credited with the prefill time its cache
 * saves ({@code inputTokens * affinityMillisPerToken}), so conversations stay where their prefix is cached until
 * that region fills up or another is faster by more than the saving.
 *
 * <p>The router only orders {@link AllowedDestinations#regions()}: it cannot add a region. Thread-safe.
 */
public final class Router {
    private static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::state)
            .thenComparingDouble(Candidate::expectedLatencyMs)
            .thenComparingDouble(Candidate::rttMs)
            .thenComparing(Candidate::region);

    /** The answer length, in tokens, that expected latencies are quoted for. */
    public static final int REFERENCE_TOKENS = 100;

    /** Above this utilization a region loses its prompt-cache preference: headroom matters more than a warm cache. */
    public static final double AFFINITY_HEADROOM = 0.8;

    private final LiveSignals signals;
    private final RoundTripTimes roundTrips;
    private final double priorServiceMillis;
    private final double loadSlope;
    private final double affinityMillisPerToken;

    private Router(Builder builder) {
        this.signals = builder.signals;
        this.roundTrips = builder.roundTrips;
        this.priorServiceMillis = builder.priorServiceMillis;
        this.loadSlope = builder.loadSlope;
        this.affinityMillisPerToken = builder.affinityMillisPerToken;
    }

    public static Builder builder(LiveSignals signals, RoundTripTimes roundTrips) {
        return new Builder(signals, roundTrips);
    }

    /** Ranks every region of {@code allowed} for a request to {@code modelId} of unknown size and prefix. */
    public RoutingPlan plan(AllowedDestinations allowed, String modelId) {
        return plan(allowed, RouteRequest.of(modelId));
    }

    /** Ranks every region of {@code allowed} for {@code request}. */
    public RoutingPlan plan(AllowedDestinations allowed, RouteRequest request) {
        Signals read = read(allowed, request.modelId());
        String warm = signals.prefixRegion(request.prefixKey());
        int n = read.regions().length;
        List<Candidate> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            candidates.add(candidate(
                    allowed.sourceRegion(),
                    read.regions()[i],
                    read.snapshots()[i],
                    read.unknownPerToken(),
                    request,
                    warm));
        }
        candidates.sort(ORDER);
        return new RoutingPlan(candidates);
    }

    /**
     * Where the next {@code requests} requests would go if they arrived now, together, and none finished:
     * each is placed by the same estimate as {@link #plan}, on the signals as they are plus the requests placed
     * before it (so the spread shows how load spills from the best region as it fills). Reads the live signals
     * once and changes nothing. {@code meridian explain --simulate} prints it.
     *
     * @return requests per region, in {@code allowed}'s order; regions that get none are included with 0
     */
    public Map<String, Integer> spread(AllowedDestinations allowed, String modelId, int requests) {
        Signals read = read(allowed, modelId);
        String[] regions = read.regions();
        SignalSnapshot[] snapshots = read.snapshots();
        double unknownPerToken = read.unknownPerToken();
        int n = regions.length;
        int[] placed = new int[n];
        for (int r = 0; r < requests && n > 0; r++) {
            int best = -1;
            Candidate bestCandidate = null;
            for (int i = 0; i < n; i++) {
                SignalSnapshot now = snapshots[i].plusInFlight(placed[i]);
                Candidate c = candidate(
                        allowed.sourceRegion(), regions[i], now, unknownPerToken, RouteRequest.of(modelId), null);
                if (bestCandidate == null || ORDER.compare(c, bestCandidate) < 0) {
                    best = i;
                    bestCandidate = c;
                }
            }
            placed[best]++;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(regions[i], placed[i]);
        }
        return out;
    }

    /**
     * The allowed regions' signals, read once, and the per-token latency assumed where there is no data yet
     * (the mean of the known ones, else the prior).
     */
    private record Signals(String[] regions, SignalSnapshot[] snapshots, double unknownPerToken) {}

    private Signals read(AllowedDestinations allowed, String modelId) {
        int n = allowed.regions().size();
        String[] regions = allowed.regions().toArray(new String[n]);
        SignalSnapshot[] snapshots = new SignalSnapshot[n];
        double knownSum = 0;
        int known = 0;
        for (int i = 0; i < n; i++) {
            snapshots[i] = signals.snapshot(new DestinationKey(regions[i], modelId));
            if (!Double.isNaN(snapshots[i].ewmaLatencyMs())) {
                knownSum += snapshots[i].ewmaLatencyMs();
                known++;
            }
        }
        return new Signals(regions, snapshots, known > 0 ? knownSum / known : priorServiceMillis / REFERENCE_TOKENS);
    }

    private Candidate candidate(
            String source,
            String region,
            SignalSnapshot s,
            double unknownPerToken,
            RouteRequest request,
            String warmRegion) {
        double rtt = roundTrips.millis(source, region);
        double perToken = Double.isNaN(s.ewmaLatencyMs()) ? unknownPerToken : s.ewmaLatencyMs();
        double utilization = s.utilization();
        double load = 1 + loadSlope * Math.min(utilization, 1.0);
        double expected = rtt + perToken * REFERENCE_TOKENS * load * (1 + s.penalty() + s.flapScore());
        CandidateState state = s.circuitOpen()
                ? CandidateState.CIRCUIT_OPEN
                : s.saturated() || s.quotaExceededBy(request.reservedTokens())
                        ? CandidateState.SATURATED
                        : CandidateState.AVAILABLE;
        if (state == CandidateState.AVAILABLE && region.equals(warmRegion) && utilization < AFFINITY_HEADROOM) {
            expected -= request.inputTokens() * affinityMillisPerToken;
        }
        return new Candidate(region, state, expected, rtt, s);
    }

    public LiveSignals signals() {
        return signals;
    }

    /** Configures a {@link Router}; defaults are written on the fields. */
    public static final class Builder {
        private final LiveSignals signals;
        private final RoundTripTimes roundTrips;
        private double priorServiceMillis = 1000.0;
        private double loadSlope = 0.5;
        private double affinityMillisPerToken = 0.18;

        private Builder(LiveSignals signals, RoundTripTimes roundTrips) {
            this.signals = Objects.requireNonNull(signals, "signals");
            this.roundTrips = Objects.requireNonNull(roundTrips, "roundTrips");
        }

        /**
         * Service latency of a {@link #REFERENCE_TOKENS}-token answer assumed before any destination of the
         * model has answered, in milliseconds.
         */
        public Builder priorServiceMillis(double millis) {
            if (!(millis > 0)) {
                throw new IllegalArgumentException("priorServiceMillis: " + millis + " (expected: > 0)");
            }
            this.priorServiceMillis = millis;
            return this;
        }

        /** How much slower a destination gets at full utilization (0.5 = 50 % slower). */
        public Builder loadSlope(double slope) {
            if (!(slope >= 0)) {
                throw new IllegalArgumentException("loadSlope: " + slope + " (expected: >= 0)");
            }
            this.loadSlope = slope;
            return this;
        }

        /**
         * Prefill time a warm prompt cache saves per input token, in milliseconds (0 turns affinity off). The
         * default, 0.18 ms, is 90 % of prefill at 5,000 tokens/s.
         */
        public Builder affinityMillisPerToken(double millis) {
            if (!(millis >= 0)) {
                throw new IllegalArgumentException("affinityMillisPerToken: " + millis + " (expected: >= 0)");
            }
            this.affinityMillisPerToken = millis;
            return this;
        }

        public Router build() {
            return new Router(this);
        }
    }
}
