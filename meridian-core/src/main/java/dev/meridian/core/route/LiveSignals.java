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

    private static final double EWMA_WEIGHT = 0.2;

    private final LongSupplier ticker;
    private final ConcurrentHashMap<DestinationKey, Stats> stats = new ConcurrentHashMap<>();

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

    /** Reports older than this are ignored (the destination stopped reporting). */
    public static final long REPORT_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Records the destination's own report of its load, 0..1 (1 = it queues requests). Gateways see only their own
     * in-flight requests; a model server's report includes everyone's.
     */
    public void reported(DestinationKey key, double utilization) {
        if (!(utilization >= 0)) {
            throw new IllegalArgumentException("utilization: " + utilization + " (expected: >= 0)");
        }
        Stats s = stats(key);
        synchronized (s) {
            s.reportedUtilization = Math.min(1.0, utilization);
            s.reportedAtNanos = ticker.getAsLong();
        }
    }

    /** Records that a request was sent; pair with exactly one {@link #succeeded} or {@link #failed}. */
    public void started(DestinationKey key) {
        Stats s = stats(key);
        synchronized (s) {
            s.inFlight++;
        }
    }

    /**
     * Records a success that took {@code latencyNanos} for {@code workUnits} units of work (output tokens plus
     * one), so destinations are compared by speed, not by how long their last answers happened to be.
     */
    public void succeeded(DestinationKey key, long latencyNanos, int workUnits) {
        Stats s = stats(key);
        double millis = latencyNanos / 1e6 / Math.max(1, workUnits);
        synchronized (s) {
            s.inFlight--;
            s.ewmaMillis = Double.isNaN(s.ewmaMillis) ? millis : s.ewmaMillis + EWMA_WEIGHT * (millis - s.ewmaMillis);
            s.consecutiveUnreachable = 0;
            s.openUntilNanos = 0;
        }
    }

    public void failed(DestinationKey key, FailureKind kind) {
        Stats s = stats(key);
        long now = ticker.getAsLong();
        synchronized (s) {
            s.inFlight--;
            if (kind == FailureKind.REJECTED) {
                return;
            }
            s.penalty = decayedPenalty(s, now) + 1.0;
            s.penaltyAtNanos = now;
            if (kind == FailureKind.UNAVAILABLE || kind == FailureKind.TIMEOUT) {
                if (++s.consecutiveUnreachable >= CIRCUIT_THRESHOLD) {
                    s.openUntilNanos = now + CIRCUIT_OPEN_NANOS;
                }
            }
        }
    }

    /** The current view of one destination. */
    public SignalSnapshot snapshot(DestinationKey key) {
        Stats s = stats.get(key);
        if (s == null) {
            return new SignalSnapshot(0, 0, Double.NaN, 0.0, false);
        }
        long now = ticker.getAsLong();
        synchronized (s) {
            boolean fresh = s.reportedAtNanos != 0 && now - s.reportedAtNanos < REPORT_TTL_NANOS;
            return new SignalSnapshot(
                    s.inFlight,
                    s.capacity,
                    s.ewmaMillis,
                    decayedPenalty(s, now),
                    now - s.openUntilNanos < 0,
                    fresh ? s.reportedUtilization : Double.NaN);
        }
    }

    private static double decayedPenalty(Stats s, long now) {
        if (s.penalty == 0) {
            return 0;
        }
        double halfLives = (double) (now - s.penaltyAtNanos) / PENALTY_HALF_LIFE_NANOS;
        double value = s.penalty * Math.pow(0.5, halfLives);
        return value < 1e-3 ? 0 : value;
    }

    private Stats stats(DestinationKey key) {
        return stats.computeIfAbsent(key, k -> new Stats());
    }

    private static final class Stats {
        volatile int capacity;
        int inFlight;
        double ewmaMillis = Double.NaN;
        double penalty;
        long penaltyAtNanos;
        int consecutiveUnreachable;
        long openUntilNanos;
        double reportedUtilization = Double.NaN;
        long reportedAtNanos;
    }
}
