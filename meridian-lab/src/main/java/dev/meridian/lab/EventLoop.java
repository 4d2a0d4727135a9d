package dev.meridian.lab;

import dev.meridian.core.route.Deadlines;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Virtual time for one lab run: a queue of timed tasks run in order on one thread, so an hour of traffic takes
 * as long as its events take to compute. Ties run in the order they were scheduled, which makes runs
 * deterministic. Also the {@link Deadlines} of the production {@link dev.meridian.core.route.FailoverInvoker}
 * in the lab: attempt timeouts fire in virtual time.
 */
final class EventLoop implements Deadlines {
    private record Event(long atNanos, long sequence, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private long executed;

    long now() {
        return nowNanos;
    }

    double nowSeconds() {
        return nowNanos / 1e9;
    }

    /** Runs {@code task} at {@code atNanos} (now, if that has passed). */
    void at(long atNanos, Runnable task) {
        queue.add(new Event(Math.max(atNanos, nowNanos), sequence++, task));
    }

    void afterMillis(double millis, Runnable task) {
        at(nowNanos + (long) (millis * 1e6), task);
    }

    /** Runs every event, including those scheduled while running, until none is left. */
    void run() {
        Event e;
        while ((e = queue.poll()) != null) {
            nowNanos = e.atNanos();
            executed++;
            e.task().run();
        }
    }

    long executed() {
        return executed;
    }

    @Override
    public <T> CompletableFuture<T> within(CompletableFuture<T> call, long nanos) {
        if (!call.isDone()) {
            at(nowNanos + nanos, () -> call.completeExceptionally(new TimeoutException()));
        }
        return call;
    }
}
