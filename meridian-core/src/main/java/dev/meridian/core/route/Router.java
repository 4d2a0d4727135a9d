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
 * <p>A plan is cheap: the regions, round trips and signal counters of an allowed set are resolved once and kept
 * (keyed by the {@link AllowedDestinations} instance, which {@link
 * dev.meridian.core.residency.DestinationRules} memoizes per catalog), the ranking reads the counters without
 * locks, and only the best candidate is built; the full order is computed when failover first needs it.
 *
 * <p>The router only orders {@link AllowedDestinations#regions()}: it cannot add a region. Thread-safe.
 */
public final class Router {
    private static final Comparator<Candidate> ORDER = (a, b) -> compare(
            a.state(),
            a.expectedLatencyMs(),
            a.rttMs(),
            a.region(),
            b.state(),
            b.expectedLatencyMs(),
            b.rttMs(),
            b.region());

    /** The answer length, in tokens, that expected latencies are quoted for. */
    public static final int REFERENCE_TOKENS = 100;

    /** Above this utilization a region loses its prompt-cache preference: headroom matters more than a warm cache. */
    public static final double AFFINITY_HEADROOM = 0.8;

    private static final int ROUTE_SLOTS = 256;

    private final LiveSignals signals;
    private final RoundTripTimes roundTrips;
    private final double priorServiceMillis;
    private final double loadSlope;
    private final double affinityMillisPerToken;
    private final CapacityHints hints;
    /** Resolved allowed sets, by identity; a slot is overwritten on collision (a cache, never a source of truth). */
    private final RouteTable[] routes = new RouteTable[ROUTE_SLOTS];

    private Router(Builder builder) {
        this.signals = builder.signals;
        this.roundTrips = builder.roundTrips;
        this.priorServiceMillis = builder.priorServiceMillis;
        this.loadSlope = builder.loadSlope;
        this.affinityMillisPerToken = builder.affinityMillisPerToken;
        this.hints = builder.hints;
    }

    public static Builder builder(LiveSignals signals, RoundTripTimes roundTrips) {
        return new Builder(signals, roundTrips);
    }

    /**
     * What the destinations declare of themselves (from their providers' configuration): sequences they run and
     * their tokens-per-minute quota. The router refreshes the declarations of a route at most once a second.
     */
    public interface CapacityHints {
        int capacity(String region, String modelId);

        long tokensPerMinute(String region, String modelId);
    }

    /** How often a route's capacity hints are read again. */
    static final long HINT_REFRESH_NANOS = 1_000_000_000L;

    /** An allowed set for one model, resolved: its regions, round trips from its source, and their counters. */
    private static final class RouteTable {
        final AllowedDestinations allowed;
        final String modelId;
        final String[] regions;
        final double[] rtt;
        final LiveSignals.Stats[] stats;
        volatile long hintedAtNanos;
        volatile boolean hinted;

        RouteTable(
                AllowedDestinations allowed,
                String modelId,
                String[] regions,
                double[] rtt,
                LiveSignals.Stats[] stats) {
            this.allowed = allowed;
            this.modelId = modelId;
            this.regions = regions;
            this.rtt = rtt;
            this.stats = stats;
        }
    }

    /** Declares the hints of {@code t}'s destinations if never done or older than a second ({@code force}: now). */
    private void declareHints(RouteTable t, boolean force) {
        if (hints == null) {
            return;
        }
        long now = signals.nanoTime();
        if (!force && t.hinted && now - t.hintedAtNanos < HINT_REFRESH_NANOS) {
            return;
        }
        for (int i = 0; i < t.regions.length; i++) {
            int capacity = hints.capacity(t.regions[i], t.modelId);
            long tpm = hints.tokensPerMinute(t.regions[i], t.modelId);
            if (t.stats[i].capacity != capacity) {
                t.stats[i].capacity = capacity;
            }
            if (t.stats[i].tokensPerMinute != tpm) {
                t.stats[i].tokensPerMinute = tpm;
            }
        }
        t.hintedAtNanos = now;
        t.hinted = true;
    }

    /**
     * Reads the capacity hints of {@code allowed}'s destinations now (not waiting for the periodic refresh), e.g.
     * before {@code explain} shows them.
     */
    public void refreshHints(AllowedDestinations allowed, String modelId) {
        declareHints(table(allowed, modelId), true);
    }

    private RouteTable table(AllowedDestinations allowed, String modelId) {
        int slot = System.identityHashCode(allowed) & (ROUTE_SLOTS - 1);
        RouteTable t = routes[slot];
        if (t != null && t.allowed == allowed && t.modelId.equals(modelId)) {
            return t;
        }
        int n = allowed.regions().size();
        String[] regions = allowed.regions().toArray(new String[n]);
        double[] rtt = new double[n];
        LiveSignals.Stats[] stats = new LiveSignals.Stats[n];
        for (int i = 0; i < n; i++) {
            rtt[i] = roundTrips.millis(allowed.sourceRegion(), regions[i]);
            stats[i] = signals.stats(regions[i], modelId);
        }
        t = new RouteTable(allowed, modelId, regions, rtt, stats);
        routes[slot] = t;
        return t;
    }

    /** Ranks every region of {@code allowed} for a request to {@code modelId} of unknown size and prefix. */
    public RoutingPlan plan(AllowedDestinations allowed, String modelId) {
        return plan(allowed, RouteRequest.of(modelId));
    }

    /** Ranks every region of {@code allowed} for {@code request}: the best now, the rest when first asked for. */
    public RoutingPlan plan(AllowedDestinations allowed, RouteRequest request) {
        RouteTable t = table(allowed, request.modelId());
        int n = t.regions.length;
        if (n == 0) {
            return new RoutingPlan(List.of());
        }
        declareHints(t, false);
        long now = signals.nanoTime();
        double unknownPerToken = unknownPerToken(t.stats);
        String warm = request.prefixKey() == 0 ? null : signals.prefixRegion(request.prefixKey());
        int best = best(t, now, unknownPerToken, request, warm, null);
        Candidate first = candidate(t, best, now, unknownPerToken, request, warm);
        return RoutingPlan.ranked(first, n, () -> rank(t, request, warm, first.region()));
    }

    /**
     * The index of the best destination of {@code t}: by state, then expected latency, then round trip, then region
     * id ({@link #compare}, without building candidates). {@code placed}, when given, counts
     * requests assumed to be in flight on top of the live ones ({@link #spread}).
     */
    private int best(RouteTable t, long now, double unknownPerToken, RouteRequest request, String warm, int[] placed) {
        int best = -1;
        CandidateState bestState = null;
        double bestExpected = 0;
        for (int i = 0; i < t.regions.length; i++) {
            LiveSignals.Stats s = t.stats[i];
            int extra = placed == null ? 0 : placed[i];
            long used = s.tokensLastMinute(now);
            CandidateState state = state(s, now, used, extra, request.reservedTokens());
            double expected =
                    expected(t.rtt[i], s, now, used, extra, unknownPerToken, request, state, t.regions[i].equals(warm));
            if (best < 0
                    || compare(
                                    state,
                                    expected,
                                    t.rtt[i],
                                    t.regions[i],
                                    bestState,
                                    bestExpected,
                                    t.rtt[best],
                                    t.regions[best])
                            < 0) {
                best = i;
                bestState = state;
                bestExpected = expected;
            }
        }
        return best;
    }

    /**
     * The routing order, one definition for picking the best destination and for ranking candidates: state (available,
     * then saturated, then circuit open), then expected latency, then round trip, then region id, so ties break the
     * same way everywhere.
     */
    private static int compare(
            CandidateState state,
            double expected,
            double rtt,
            String region,
            CandidateState otherState,
            double otherExpected,
            double otherRtt,
            String otherRegion) {
        int c = state.compareTo(otherState);
        if (c == 0) {
            c = Double.compare(expected, otherExpected);
        }
        if (c == 0) {
            c = Double.compare(rtt, otherRtt);
        }
        return c != 0 ? c : region.compareTo(otherRegion);
    }

    /** Destination {@code i} of {@code t} as a candidate, with its signals as they are now. */
    private Candidate candidate(
            RouteTable t, int i, long now, double unknownPerToken, RouteRequest request, String warm) {
        LiveSignals.Stats s = t.stats[i];
        long used = s.tokensLastMinute(now);
        CandidateState state = state(s, now, used, 0, request.reservedTokens());
        double expected =
                expected(t.rtt[i], s, now, used, 0, unknownPerToken, request, state, t.regions[i].equals(warm));
        return new Candidate(t.regions[i], state, expected, t.rtt[i], s.snapshot(now));
    }

    /** Every candidate, best first, on the signals as they are now; {@code first} (already chosen) stays first. */
    private List<Candidate> rank(RouteTable t, RouteRequest request, String warm, String first) {
        long now = signals.nanoTime();
        double unknownPerToken = unknownPerToken(t.stats);
        List<Candidate> candidates = new ArrayList<>(t.regions.length);
        Candidate chosen = null;
        for (int i = 0; i < t.regions.length; i++) {
            Candidate c = candidate(t, i, now, unknownPerToken, request, warm);
            if (c.region().equals(first)) {
                chosen = c;
            } else {
                candidates.add(c);
            }
        }
        candidates.sort(ORDER);
        if (chosen != null) {
            candidates.add(0, chosen);
        }
        return candidates;
    }

    /**
     * Where the next {@code requests} requests would go if they arrived now, together, and none finished:
     * each is placed by the same estimate as {@link #plan}, on the signals as they are plus the requests placed
     * before it (so the spread shows how load spills from the best region as it fills). Reads the live signals
     * and changes nothing. {@code meridian explain --simulate} prints it.
     *
     * @return requests per region, in {@code allowed}'s order; regions that get none are included with 0
     */
    public Map<String, Integer> spread(AllowedDestinations allowed, String modelId, int requests) {
        RouteTable t = table(allowed, modelId);
        declareHints(t, false);
        RouteRequest request = RouteRequest.of(modelId);
        long now = signals.nanoTime();
        double unknownPerToken = unknownPerToken(t.stats);
        int n = t.regions.length;
        int[] placed = new int[n];
        for (int r = 0; r < requests && n > 0; r++) {
            placed[best(t, now, unknownPerToken, request, null, placed)]++;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(t.regions[i], placed[i]);
        }
        return out;
    }

    /** The per-token latency assumed where there is no data yet: the mean of the known ones, else the prior. */
    private double unknownPerToken(LiveSignals.Stats[] stats) {
        double knownSum = 0;
        int known = 0;
        for (LiveSignals.Stats s : stats) {
            double ewma = s.ewmaMillis;
            if (!Double.isNaN(ewma)) {
                knownSum += ewma;
                known++;
            }
        }
        return known > 0 ? knownSum / known : priorServiceMillis / REFERENCE_TOKENS;
    }

    private static CandidateState state(
            LiveSignals.Stats s, long now, long usedTokens, int extraInFlight, int reservedTokens) {
        if (s.circuitOpen(now)) {
            return CandidateState.CIRCUIT_OPEN;
        }
        boolean full = SignalSnapshot.saturated(s.inFlight + extraInFlight, s.capacity, s.reported(now))
                || SignalSnapshot.quotaExceeded(s.tokensPerMinute, usedTokens, reservedTokens);
        return full ? CandidateState.SATURATED : CandidateState.AVAILABLE;
    }

    private double expected(
            double rtt,
            LiveSignals.Stats s,
            long now,
            long usedTokens,
            int extraInFlight,
            double unknownPerToken,
            RouteRequest request,
            CandidateState state,
            boolean warm) {
        double ewma = s.ewmaMillis;
        double perToken = Double.isNaN(ewma) ? unknownPerToken : ewma;
        double utilization = SignalSnapshot.utilization(
                s.inFlight + extraInFlight, s.capacity, s.tokensPerMinute, usedTokens, s.reported(now));
        double load = 1 + loadSlope * Math.min(utilization, 1.0);
        double expected = rtt + perToken * REFERENCE_TOKENS * load * (1 + s.penalty(now) + s.flapScore(now));
        if (warm && state == CandidateState.AVAILABLE && utilization < AFFINITY_HEADROOM) {
            expected -= request.inputTokens() * affinityMillisPerToken;
        }
        return expected;
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
        private CapacityHints hints;

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

        /** Where destinations' capacities and quotas come from (none: only what is declared on the signals). */
        public Builder hints(CapacityHints capacityHints) {
            this.hints = Objects.requireNonNull(capacityHints, "capacityHints");
            return this;
        }

        public Router build() {
            return new Router(this);
        }
    }
}
