package dev.meridian.core.route;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per-destination live signals the router ranks by: in-flight requests, known capacity, smoothed latency, a
 * decaying penalty for throttles and failures, and a small circuit breaker for unreachable destinations.
 *
 * <p>Thread-safe. Time comes from an injected nanosecond ticker, so the simulation lab can run the same class in
 * virtual time. Counters are per gateway process: each gateway routes on what it has seen itself.
 */
public final class LiveSignals {
    /** The penalty of a throttle or failure halves every five seconds. */
    public static final long PENALTY_HALF_LIFE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Consecutive connection failures or timeouts that open the circuit. */
    public static final int CIRCUIT_THRESHOLD = 3;

    /** How long an open circuit keeps a destination at the back of every plan. */
    public static final long CIRCUIT_OPEN_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Flap damping (as BGP damps flapping routes): every opening of the circuit adds 1 to a destination's flap
     * score, which halves every five minutes. A region that keeps coming back and failing again stays
     * de-preferred long after its short-term penalty has decayed, so new streams do not keep landing on it only
     * to be cut off by its next failure.
     */
    public static final long FLAP_HALF_LIFE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private static final double EWMA_WEIGHT = 0.2;

    /** Prompt prefixes remembered for affinity (about this many, most recent first). */
    public static final int AFFINITY_CAPACITY = 100_000;

    private final LongSupplier ticker;
    /** Model, then region: lookups need no key object. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Stats>> stats = new ConcurrentHashMap<>();

    private final PrefixAffinity affinity = new PrefixAffinity(AFFINITY_CAPACITY);

    private LiveSignals(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /** Signals timed by {@link System#nanoTime()}. */
    public static LiveSignals create() {
        return new LiveSignals(System::nanoTime);
    }

    /** Signals timed by {@code ticker} (nanoseconds, monotonic), e.g. a virtual clock. */
    public static LiveSignals withTicker(LongSupplier ticker) {
        return new LiveSignals(Objects.requireNonNull(ticker, "ticker"));
    }

    public long nanoTime() {
        return ticker.getAsLong();
    }

    /** Declares the concurrent sequences a destination can run (0 = unknown). */
    public void capacity(DestinationKey key, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        }
        stats(key).capacity = capacity;
    }

    /**
     * Declares a destination's tokens-per-minute quota (0 = none): admission counts each request's input plus
     * output limit against it, reconciled with the real usage when the answer is done. A destination without a
     * quota keeps no token window (reservations made while it had none are not counted later).
     */
    public void tokensPerMinute(DestinationKey key, long tokensPerMinute) {
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute: " + tokensPerMinute + " (expected: >= 0)");
        }
        stats(key).tokensPerMinute = tokensPerMinute;
    }

    /** The most peers a gateway assumes behind a report (see {@link #reported}). */
    static final double MAX_REPORT_SCALE = 16;

    /** Reports older than this are ignored (the destination stopped reporting). */
    public static final long REPORT_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Records the destination's own report of its load, 0..1 (1 = it queues requests). Gateways see only their own
     * in-flight requests; a model server's report includes everyone's. Until the next report, the change in this
     * gateway's own in-flight count there is added to it, scaled by this gateway's share of the reported load (if
     * it had a third of the load, its peers are assumed to do as it does): a report is a snapshot, and gateways
     * that all read the same low figure and all pile onto that destination until the next one overload it (the
     * routing lab showed that herd with three gateways and 5 s reports).
     */
    public void reported(DestinationKey key, double utilization) {
        if (!(utilization >= 0)) {
            throw new IllegalArgumentException("utilization: " + utilization + " (expected: >= 0)");
        }
        Stats s = stats(key);
        synchronized (s) {
            s.reportedUtilization = Math.min(1.0, utilization);
            s.reportedAtNanos = ticker.getAsLong();
            s.inFlightAtReport = s.inFlight;
            double everyone = utilization * s.capacity;
            s.reportScale = s.inFlight > 0 && s.capacity > 0
                    ? Math.max(1.0, Math.min(MAX_REPORT_SCALE, everyone / s.inFlight))
                    : 1.0;
        }
    }

    /** Records that a request was sent; pair with exactly one {@link #succeeded} or {@link #failed}. */
    public void started(DestinationKey key) {
        started(key, 0);
    }

    /**
     * Records that a request claiming {@code reservedTokens} (input plus output limit) was sent; pair with exactly
     * one {@link #succeeded(DestinationKey, long, int, int, int)} or {@link #failed(DestinationKey, FailureKind,
     * int, long)} that names the same reservation.
     */
    public void started(DestinationKey key, int reservedTokens) {
        Stats s = stats(key);
        long now = ticker.getAsLong();
        synchronized (s) {
            s.inFlight++;
            if (reservedTokens > 0 && s.tokensPerMinute > 0) {
                s.tokens.add(now, reservedTokens);
                s.refreshTokens(now);
            }
        }
    }

    /**
     * Records a success that took {@code latencyNanos} for {@code workUnits} units of work (output tokens plus
     * one), so destinations are compared by speed, not by how long their last answers happened to be. Zero units
     * (work that is not inference, such as counting tokens) leave the speed as it was.
     */
    public void succeeded(DestinationKey key, long latencyNanos, int workUnits) {
        succeeded(key, latencyNanos, workUnits, 0, 0);
    }

    /**
     * As {@link #succeeded(DestinationKey, long, int)}, and reconciles the request's token reservation with what
     * it really used (input plus generated tokens).
     */
    public void succeeded(DestinationKey key, long latencyNanos, int workUnits, int reservedTokens, int usedTokens) {
        Stats s = stats(key);
        double millis = latencyNanos / 1e6 / Math.max(1, workUnits);
        long now = ticker.getAsLong();
        synchronized (s) {
            s.inFlight--;
            if (reservedTokens > 0 && s.tokensPerMinute > 0) {
                s.tokens.adjust(now - latencyNanos, now, (long) usedTokens - reservedTokens);
                s.refreshTokens(now);
            }
            if (workUnits > 0) {
                s.ewmaMillis =
                        Double.isNaN(s.ewmaMillis) ? millis : s.ewmaMillis + EWMA_WEIGHT * (millis - s.ewmaMillis);
            }
            s.consecutiveUnreachable = 0;
            s.openUntilNanos = 0;
        }
    }

    public void failed(DestinationKey key, FailureKind kind) {
        failed(key, kind, 0, 0);
    }

    /**
     * As {@link #failed(DestinationKey, FailureKind)}, and returns the request's token reservation, made {@code
     * latencyNanos} ago: a refused or failed request does not count against the quota.
     */
    public void failed(DestinationKey key, FailureKind kind, int reservedTokens, long latencyNanos) {
        Stats s = stats(key);
        long now = ticker.getAsLong();
        synchronized (s) {
            s.inFlight--;
            if (reservedTokens > 0 && s.tokensPerMinute > 0) {
                s.tokens.adjust(now - latencyNanos, now, -reservedTokens);
                s.refreshTokens(now);
            }
            if (!kind.countsAgainstTheDestination()) {
                return;
            }
            s.penalty = s.penalty(now) + 1.0;
            s.penaltyAtNanos = now;
            if (kind == FailureKind.UNAVAILABLE || kind == FailureKind.TIMEOUT) {
                if (++s.consecutiveUnreachable >= CIRCUIT_THRESHOLD && now - s.openUntilNanos >= 0) {
                    s.openUntilNanos = now + CIRCUIT_OPEN_NANOS;
                    s.flaps = s.flapScore(now) + 1.0;
                    s.flapsAtNanos = now;
                }
            }
        }
    }

    /** The current view of one destination. */
    public SignalSnapshot snapshot(DestinationKey key) {
        Stats s = existing(key.region(), key.modelId());
        return s == null ? SignalSnapshot.UNKNOWN : s.snapshot(ticker.getAsLong());
    }

    /** Records that {@code region} served a request with prompt prefix {@code prefixKey} (0 = none). */
    public void servedPrefix(long prefixKey, String region) {
        affinity.remember(prefixKey, region);
    }

    /** Where a request with prompt prefix {@code prefixKey} was last served, or {@code null}. */
    public String prefixRegion(long prefixKey) {
        return affinity.region(prefixKey);
    }

    private static double decayed(double value, long atNanos, long now, long halfLifeNanos) {
        if (value == 0) {
            return 0;
        }
        double left = value * Math.pow(0.5, (double) (now - atNanos) / halfLifeNanos);
        return left < 1e-3 ? 0 : left;
    }

    private Stats stats(DestinationKey key) {
        return stats(key.region(), key.modelId());
    }

    /** The stats of a destination, created on first use; the same object for the life of this instance. */
    Stats stats(String region, String modelId) {
        ConcurrentHashMap<String, Stats> byRegion = stats.get(modelId);
        if (byRegion == null) {
            byRegion = stats.computeIfAbsent(modelId, k -> new ConcurrentHashMap<>());
        }
        Stats s = byRegion.get(region);
        return s != null ? s : byRegion.computeIfAbsent(region, k -> new Stats());
    }

    private Stats existing(String region, String modelId) {
        ConcurrentHashMap<String, Stats> byRegion = stats.get(modelId);
        return byRegion == null ? null : byRegion.get(region);
    }

    /**
     * One destination's counters. Written under its own lock; read without it by the router's scan (every field
     * is volatile, and a ranking tolerates a value that is one update old), so ranking a plan takes no lock.
     */
    static final class Stats {
        volatile int capacity;
        volatile int inFlight;
        volatile double ewmaMillis = Double.NaN;
        volatile double penalty;
        volatile long penaltyAtNanos;
        int consecutiveUnreachable;
        volatile long openUntilNanos;
        volatile double flaps;
        volatile long flapsAtNanos;
        volatile double reportedUtilization = Double.NaN;
        volatile long reportedAtNanos;
        volatile int inFlightAtReport;
        volatile double reportScale = 1.0;
        volatile long tokensPerMinute;
        final TokenWindow tokens = new TokenWindow();

        double penalty(long now) {
            return decayed(penalty, penaltyAtNanos, now, PENALTY_HALF_LIFE_NANOS);
        }

        double flapScore(long now) {
            return decayed(flaps, flapsAtNanos, now, FLAP_HALF_LIFE_NANOS);
        }

        boolean circuitOpen(long now) {
            return now - openUntilNanos < 0;
        }

        double reported(long now) {
            long at = reportedAtNanos;
            if (at == 0 || now - at >= REPORT_TTL_NANOS) {
                return Double.NaN;
            }
            int known = capacity;
            if (known <= 0) {
                return reportedUtilization;
            }
            double change = reportScale * (inFlight - inFlightAtReport) / known;
            return Math.max(0.0, Math.min(1.0, reportedUtilization + change));
        }

        /** The window's sum and the second it was computed for: reads within that second take no lock. */
        private volatile long tokensSumSecond = Long.MIN_VALUE;

        private volatile long tokensSum;

        /** Tokens counted against the quota in the last minute (0 without a quota). */
        long tokensLastMinute(long now) {
            if (tokensPerMinute == 0) {
                return 0;
            }
            long second = Math.floorDiv(now, 1_000_000_000L);
            if (tokensSumSecond == second) {
                return tokensSum;
            }
            synchronized (this) {
                return refreshTokens(now);
            }
        }

        /** Recomputes the cached sum; called under the lock after every change to the window. */
        long refreshTokens(long now) {
            long sum = tokens.sum(now);
            tokensSum = sum;
            tokensSumSecond = Math.floorDiv(now, 1_000_000_000L);
            return sum;
        }

        synchronized SignalSnapshot snapshot(long now) {
            return new SignalSnapshot(
                    inFlight,
                    capacity,
                    ewmaMillis,
                    penalty(now),
                    circuitOpen(now),
                    reported(now),
                    tokensPerMinute,
                    tokensLastMinute(now),
                    flapScore(now));
        }
    }
}
