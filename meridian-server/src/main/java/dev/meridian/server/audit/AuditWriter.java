package dev.meridian.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one region's ledger: callers queue events and get a future that completes once the event is
 * durable; one thread takes everything queued so far, links it into the chain and commits it in one transaction.
 * Under load many events share one commit (one fsync), so durability stays cheap. Reads run on the same thread.
 * When the ledger's appends are quick ({@link AuditLedger#quickAppends}: a journal written without waiting for the
 * disk) and nothing is queued, the caller commits its own event instead, sparing the two thread switches of a
 * hand-over. A lock keeps the ledger to one thread at a time either way.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 1000;
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;
    private static final long PING_INTERVAL_NANOS = 1_000_000_000L;
    private static final long IDLE_CHECK_NANOS = 1_000_000_000L;
    /**
     * Under heavy load (a previous commit of at least {@link #PACING_MIN_BATCH} events), commits are this far apart.
     */
    private static final long COMMIT_INTERVAL_NANOS = 500_000;

    private static final int PACING_MIN_BATCH = 8;
    private long lastCommitEnd;
    private int lastBatchSize;

    private sealed interface Task permits Append, Read, Stop {}

    private record Append(AuditEntry entry, CompletableFuture<ChainedEntry> done) implements Task {}

    private record Read<T>(Function<AuditLedger, T> work, CompletableFuture<T> done) implements Task {
        void run(AuditLedger ledger) {
            try {
                done.complete(work.apply(ledger));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private record Stop() implements Task {}

    private final String region;
    private final AuditLedger ledger;
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean idle = new AtomicBoolean();
    private final Thread thread;
    private final OutageLog outages;
    /**
     * Held while the ledger and the chain's head are used: by the writer thread for each batch it takes, by a
     * caller committing its own event.
     */
    private final ReentrantLock committing = new ReentrantLock();

    private volatile boolean stopped;
    private AuditLedger.Head head;
    private volatile boolean healthy = true;
    private volatile long lastPing = System.nanoTime();
    private volatile boolean pingInFlight;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedEvents = new AtomicLong();

    AuditWriter(String region, AuditLedger ledger) {
        this.region = region;
        this.ledger = ledger;
        this.outages = new OutageLog(log, region);
        this.thread =
                Thread.ofPlatform().name("meridian-audit-" + region).daemon().start(this::loop);
    }

    /** Queues {@code entry}; the future completes when it is durable, or fails when it could not be stored. */
    CompletableFuture<ChainedEntry> append(AuditEntry entry) {
        Append append = new Append(entry, new CompletableFuture<>());
        if (!committedByCaller(append)) {
            enqueue(append);
        }
        return append.done();
    }

    /**
     * Commits {@code append} on the caller's thread when that is cheaper than a hand-over: the ledger's appends are
     * quick, nothing is queued ahead of it, the store is healthy and no other thread is using it. The future is
     * complete when this returns true.
     */
    private boolean committedByCaller(Append append) {
        if (!ledger.quickAppends()
                || !queue.isEmpty()
                || Thread.currentThread().isInterrupted() // its file I/O would fail at once: the writer's is not
                || !committing.tryLock()) {
            return false;
        }
        List<Runnable> completions = new ArrayList<>(1);
        try {
            if (stopped || head == null || !healthy) {
                return false; // the writer reads the head first (and replays the journal), or handles the outage
            }
            commit(List.of(append), completions);
        } finally {
            committing.unlock();
        }
        completions.forEach(Runnable::run);
        return true;
    }

    /** Runs {@code work} on the ledger's thread. */
    <T> CompletableFuture<T> read(Function<AuditLedger, T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue(new Read<>(work, done));
        return done;
    }

    /**
     * Adds a task without a system call in the common case: the writer is woken only when it is idle-waiting,
     * never while it is committing or pacing, so under load producers never pay for a wake-up.
     */
    private void enqueue(Task task) {
        queue.add(task);
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
        if (stopped) {
            refuseQueued(); // the writer has stopped: nothing would ever complete this task
        }
    }

    /** Fails every task still queued once the writer has stopped, so no caller waits for a commit that cannot come. */
    private void refuseQueued() {
        IllegalStateException closed = new IllegalStateException("the audit trail for " + region + " is closed");
        Task t;
        while ((t = queue.poll()) != null) {
            switch (t) {
                case Append a -> a.done().completeExceptionally(closed);
                case Read<?> r -> r.done().completeExceptionally(closed);
                case Stop s -> {}
            }
        }
    }

    /**
     * Whether the last write (or health check) succeeded. While unhealthy, a health check runs at most once a
     * second in the background, so the answer recovers with the store without blocking the caller.
     */
    boolean writable() {
        if (!healthy && !pingInFlight && System.nanoTime() - lastPing > PING_INTERVAL_NANOS) {
            pingInFlight = true;
            read(AuditLedger::ping).whenComplete((ok, e) -> {
                healthy = ok != null && ok;
                lastPing = System.nanoTime();
                pingInFlight = false;
            });
        }
        return healthy;
    }

    private void loop() {
        try {
            run();
        } finally {
            stopped = true; // before draining: a task queued after the drain sees it and drains itself
            refuseQueued();
        }
    }

    private void run() {
        List<Task> tasks = new ArrayList<>();
        List<Runnable> completions = new ArrayList<>();
        while (true) {
            if (queue.isEmpty() && !awaitWork()) {
                committing.lock();
                try {
                    checkHealth();
                } finally {
                    committing.unlock();
                }
                continue;
            }
            pace();
            Task t;
            while (tasks.size() < MAX_BATCH && (t = queue.poll()) != null) {
                tasks.add(t);
            }
            boolean more;
            committing.lock();
            try {
                more = runAll(tasks, completions);
            } finally {
                committing.unlock();
            }
            completions.forEach(Runnable::run);
            completions.clear();
            if (!more) {
                return;
            }
            tasks.clear();
        }
    }

    /**
     * Runs a batch of tasks in order, appends together, adding to {@code completions} what completes the appends'
     * futures; false once it has run a {@link Stop}.
     */
    private boolean runAll(List<Task> tasks, List<Runnable> completions) {
        List<Append> appends = new ArrayList<>();
        for (Task task : tasks) {
            switch (task) {
                case Append a -> appends.add(a);
                case Read<?> r -> {
                    commitTaken(appends, completions);
                    r.run(ledger);
                }
                case Stop s -> {
                    commitTaken(appends, completions);
                    ledger.close();
                    stopped = true; // callers stop committing themselves
                    // what was taken after the stop is left for refuseQueued
                    queue.addAll(tasks.subList(tasks.indexOf(s) + 1, tasks.size()));
                    return false;
                }
            }
        }
        commitTaken(appends, completions);
        return true;
    }

    /** Commits the appends taken so far in a batch, leaving the list empty for the batch's next ones. */
    private void commitTaken(List<Append> appends, List<Runnable> completions) {
        commit(List.copyOf(appends), completions);
        appends.clear();
    }

    /** Parks until a task arrives (true) or a second passes (false: time for a health check). */
    private boolean awaitWork() {
        idle.set(true);
        long deadline = System.nanoTime() + IDLE_CHECK_NANOS;
        while (queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                idle.set(false);
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        idle.set(false);
        return true;
    }

    /**
     * Commit pacing: under load, commits are at least {@link #COMMIT_INTERVAL_NANOS} apart, and what arrives in
     * between joins the next commit. Each commit has a fixed cost (WAL write, fsync, JNI) whatever its size, so
     * without pacing a saturated gateway spends CPU on many small commits. Pacing applies only when the previous
     * commit carried at least {@link #PACING_MIN_BATCH} events (heavy load); under light load every event commits
     * at once. Measured in docs/benchmarks.md.
     */
    private void pace() {
        if (lastBatchSize < PACING_MIN_BATCH) {
            return; // light load: commit at once, pacing would only add latency
        }
        long wait;
        while ((wait = lastCommitEnd + COMMIT_INTERVAL_NANOS - System.nanoTime()) > 0 && queue.size() < MAX_BATCH) {
            LockSupport.parkNanos(this, wait);
        }
    }

    /** While idle, notice a store that went away before a request has to find out (and be withheld). */
    private void checkHealth() {
        boolean ok = ledger.ping();
        if (!ok && healthy) {
            outages.failed("audit store for " + region + " is unreachable; refusing invocations until it recovers");
            head = null;
        }
        if (ok) {
            outages.succeeded();
        }
        healthy = ok;
        lastPing = System.nanoTime();
    }

    /**
     * Commits {@code appends} and adds to {@code completions} what completes their futures, which the caller runs
     * once it has released the lock: what depends on a future (releasing a response, or appending again) then
     * runs without holding the trail.
     */
    private void commit(List<Append> batch, List<Runnable> completions) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (head == null) {
                head = ledger.head();
            }
            List<ChainedEntry> chained = new ArrayList<>(batch.size());
            long seq = head.sequence();
            String prev = head.hash();
            for (Append a : batch) {
                seq++;
                String hash = HashChain.link(prev, seq, a.entry().recordJson());
                chained.add(new ChainedEntry(seq, a.entry(), prev, hash));
                prev = hash;
            }
            ledger.append(chained);
            lastCommitEnd = System.nanoTime();
            lastBatchSize = chained.size();
            commits.incrementAndGet();
            committedEvents.addAndGet(chained.size());
            head = new AuditLedger.Head(seq, prev);
            healthy = true;
            outages.succeeded();
            completions.add(() -> {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(chained.get(i));
                }
            });
        } catch (RuntimeException e) {
            head = null; // re-read: the transaction may or may not have reached the store
            healthy = false;
            lastPing = System.nanoTime();
            failures.incrementAndGet();
            outages.failed(
                    "audit store for " + region + " failed; refusing invocations until it recovers: " + e.getMessage());
            completions.add(() -> batch.forEach(a -> a.done().completeExceptionally(e)));
        }
    }

    private final AtomicLong failures = new AtomicLong();

    /** Commits that failed (their events' answers were withheld). */
    long failures() {
        return failures.get();
    }

    /** Whether the store answered the last write or health check. */
    boolean healthy() {
        return healthy;
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.get();
    }

    /** Durable events not yet in the store's tables ({@link AuditLedger#backlog}). */
    long backlog() {
        return ledger.backlog();
    }

    /** Events committed so far. */
    long committedEvents() {
        return committedEvents.get();
    }

    /**
     * Commits what is queued, closes the ledger and stops the writer, waiting up to 10 s. Tasks queued after that
     * fail at once; a writer that did not stop in time is logged, since its queued events are not stored (and
     * their requests were not answered).
     */
    @Override
    public void close() {
        enqueue(new Stop());
        try {
            thread.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error(
                    "audit trail for {}: the writer did not stop within {} ms; events still queued were not stored",
                    region,
                    CLOSE_TIMEOUT_MILLIS);
        }
    }
}
