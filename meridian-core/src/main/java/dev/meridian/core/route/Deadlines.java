package dev.meridian.core.route;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How {@link FailoverInvoker} bounds an attempt in time. The gateway supplies a timer wheel; the simulation lab
 * supplies one that fires in virtual time, so the same failover code runs there unchanged.
 */
public interface Deadlines {
    /** Wall-clock deadlines ({@link CompletableFuture#orTimeout}). */
    Deadlines WALL_CLOCK = new Deadlines() {
        @Override
        public <T> CompletableFuture<T> within(CompletableFuture<T> call, long nanos) {
            return call.orTimeout(nanos, TimeUnit.NANOSECONDS);
        }
    };

    /**
     * Completes {@code call} exceptionally with a {@link java.util.concurrent.TimeoutException} if it is not done
     * within {@code nanos}; returns the future to wait on.
     */
    <T> CompletableFuture<T> within(CompletableFuture<T> call, long nanos);
}
