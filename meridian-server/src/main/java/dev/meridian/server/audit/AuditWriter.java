package dev.meridian.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one region's ledger: callers queue events and get a future that completes once the event is
 * durable; one thread takes everything queued so far, links it into the chain and commits it in one transaction.
 * Under load many events share one commit (one fsync), so durability stays cheap. Reads run on the same thread,
 * which keeps each ledger single-threaded.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 1000;
    private static final long PING_INTERVAL_NANOS = 1_000_000_000L;
    private static final long IDLE_CHECK_SECONDS = 1;

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
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private AuditLedger.Head head;
    private volatile boolean healthy = true;
    private volatile long lastPing = System.nanoTime();
    private volatile boolean pingInFlight;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong committedEvents = new java.util.concurrent.atomic.AtomicLong();

    AuditWriter(String region, AuditLedger ledger) {
        this.region = region;
        this.ledger = ledger;
        this.thread =
                Thread.ofPlatform().name("meridian-audit-" + region).daemon().start(this::loop);
    }

    /** Queues {@code entry}; the future completes when it is durable, or fails when it could not be stored. */
    CompletableFuture<ChainedEntry> append(AuditEntry entry) {
        CompletableFuture<ChainedEntry> done = new CompletableFuture<>();
        queue.add(new Append(entry, done));
        return done;
    }

    /** Runs {@code work} on the ledger's thread. */
    <T> CompletableFuture<T> read(Function<AuditLedger, T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Read<>(work, done));
        return done;
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
        List<Task> tasks = new ArrayList<>();
        while (true) {
            try {
                Task first = queue.poll(IDLE_CHECK_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                if (first == null) {
                    checkHealth();
                    continue;
                }
                tasks.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(tasks, MAX_BATCH - 1);
            List<Append> appends = new ArrayList<>();
            for (Task t : tasks) {
                switch (t) {
                    case Append a -> appends.add(a);
                    case Read<?> r -> {
                        commit(appends);
                        r.run(ledger);
                    }
                    case Stop s -> {
                        commit(appends);
                        ledger.close();
                        return;
                    }
                }
            }
            commit(appends);
            tasks.clear();
        }
    }

    /** While idle, notice a store that went away before a request has to find out (and be withheld). */
    private void checkHealth() {
        boolean ok = ledger.ping();
        if (!ok && healthy) {
            log.error("audit store for {} is unreachable; refusing invocations until it recovers", region);
            head = null;
        }
        healthy = ok;
        lastPing = System.nanoTime();
    }

    private void commit(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        try {
            if (head == null) {
                head = ledger.head();
            }
            List<ChainedEntry> chained = new ArrayList<>(appends.size());
            long seq = head.sequence();
            String prev = head.hash();
            for (Append a : appends) {
                seq++;
                String hash = HashChain.link(prev, seq, a.entry().recordJson());
                chained.add(new ChainedEntry(seq, a.entry(), prev, hash));
                prev = hash;
            }
            ledger.append(chained);
            commits.incrementAndGet();
            committedEvents.addAndGet(chained.size());
            head = new AuditLedger.Head(seq, prev);
            healthy = true;
            for (int i = 0; i < appends.size(); i++) {
                appends.get(i).done().complete(chained.get(i));
            }
        } catch (RuntimeException e) {
            head = null; // re-read: the transaction may or may not have reached the store
            healthy = false;
            lastPing = System.nanoTime();
            log.error("audit store for {} failed; refusing invocations until it recovers: {}", region, e.getMessage());
            appends.forEach(a -> a.done().completeExceptionally(e));
        }
        appends.clear();
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.get();
    }

    /** Events committed so far. */
    long committedEvents() {
        return committedEvents.get();
    }

    @Override
    public void close() {
        queue.add(new Stop());
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
