package dev.meridian.server.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings that callers can cause at will (a failed authentication, for one), logged at most once per interval
 * for each kind, with the number left out since the last line: a misconfigured or hostile client cannot flood the
 * log or the disk under it, while the metrics still count every occurrence. Kinds must be a small, fixed set (an
 * enum), since one window is kept per kind.
 *
 * @param <K> the kind of warning
 */
public final class SampledWarnings<K> {
    private final Consumer<String> sink;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<K, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        private long opened;
        private long notLogged;
        private boolean used;
    }

    /** Warnings to {@code log} at WARN, at most one per {@code intervalMillis} for each kind. */
    public SampledWarnings(Logger log, long intervalMillis) {
        this(log::warn, intervalMillis, System::nanoTime);
    }

    SampledWarnings(Consumer<String> sink, long intervalMillis, LongSupplier nanoClock) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis: " + intervalMillis + " (expected: > 0)");
        }
        this.sink = sink;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.nanoClock = nanoClock;
    }

    /**
     * Logs {@code message} unless a warning of {@code kind} was logged less than the interval ago, in which case it
     * is only counted; the next line of that kind then says how many were left out.
     *
     * @return whether the warning was logged
     */
    public boolean warn(K kind, String message) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = nanoClock.getAsLong();
        long left;
        synchronized (w) {
            if (w.used && now - w.opened < intervalNanos) {
                w.notLogged++;
                return false;
            }
            left = w.notLogged;
            w.used = true;
            w.opened = now;
            w.notLogged = 0;
        }
        sink.accept(left == 0 ? message : message + " (and " + left + " more like it not logged since the last)");
        return true;
    }
}
