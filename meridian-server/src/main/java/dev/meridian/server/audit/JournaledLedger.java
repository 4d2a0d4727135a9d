package dev.meridian.server.audit;

import dev.meridian.server.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ledger with its durability point moved into an {@link AuditJournal}: {@link #append} returns
 * once the journal's write is on disk, and a background thread copies the events into the SQLite ledger in
 * large transactions (each still synchronous, so a journal segment is reused only after the ledger has its
 * events on disk). Every read first waits until the ledger has every appended event, so lookups, verification,
 * export and retention see exactly what they saw before. On start, events that were in the journal but not yet
 * in the ledger (the gateway was killed, or the ledger failed) are replayed into it before anything else.
 *
 * <p>A lock file keeps the journal to one process: a second opener of the same store (the {@code meridian audit}
 * command while the gateway runs) gets the ledger read-only, lagging the gateway's answers by the fill interval; a
 * second gateway on the same data directory therefore refuses invocations instead of forking the chain.
 */
final class JournaledLedger implements AuditLedger {
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);
    /** The active segment moves to the other one past this size, when it can. */
    static final long SWITCH_BYTES = 4L << 20;
    /** A segment grows up to this while the ledger is behind; past it, appends fail. */
    static final long MAX_SEGMENT_BYTES = 64L << 20;

    private static final int MAX_FILL = 5_000;
    /**
     * Appends count as quick ({@link #quickAppends}) while fewer events than this wait for the ledger; past it the
     * journal may be filling up, and an append may have to wait for room.
     */
    private static final long QUICK_BACKLOG = 10_000;
    /**
     * How long events gather before a fill (readers, a full journal and closing cut it short): each fill is one
     * synchronous SQLite transaction, whose fixed cost is what the journal exists to spread over many events.
     */
    private static final long FILL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long READ_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long FULL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final AuditLedger ledger;
    private final AuditJournal journal;
    private final boolean sync;
    private final Path base;
    /** Holds the journal's lock while open (closing it releases the lock). */
    private final FileChannel lockChannel;
    /** Appended to the journal, not yet in the ledger; filled in order. */
    private final Queue<ChainedEntry> pending = new ConcurrentLinkedQueue<>();
    /** Held while the ledger is used: the filler and the reading thread share it. */
    private final Object ledgerLock = new Object();

    private final Thread filler;
    private volatile boolean closing;
    /** The highest sequence the ledger holds on disk. */
    private volatile long filled;
    /** The journal's end (null until recovered); set by the appending thread, read by any. */
    private volatile Head head;
    /**
     * Whether this process has already copied the journal's orphaned events aside: a recovery that fails after the
     * copy (the ledger refusing the replay) is retried on every use, and must not copy the segments each time.
     */
    private boolean orphansKept;

    private JournaledLedger(
            AuditLedger ledger, Path base, FileChannel lockChannel, boolean sync, long switchBytes, long maxBytes)
            throws IOException {
        this.ledger = ledger;
        this.base = base;
        this.lockChannel = lockChannel;
        this.sync = sync;
        this.journal = new AuditJournal(base, sync, switchBytes, maxBytes);
        this.filler = Thread.ofPlatform()
                .name("meridian-audit-fill-" + base.getFileName().toString().replace(".journal", ""))
                .daemon()
                .unstarted(this::fill);
    }

    /**
     * {@code ledger} journaled in the files {@code base-0} and {@code base-1}, or {@code ledger} read-only
     * ({@link ReadOnlyLedger}) when another process (or another ledger in this one) holds the journal.
     *
     * @param sync whether an append waits for the disk ({@code audit.sync: disk}) or only for the operating
     *     system's cache ({@code os}: the event survives a crash of the gateway, not of the machine)
     */
    static AuditLedger open(AuditLedger ledger, Path base, boolean sync) {
        return open(ledger, base, sync, SWITCH_BYTES, MAX_SEGMENT_BYTES);
    }

    static AuditLedger open(AuditLedger ledger, Path base, boolean sync, long switchBytes, long maxBytes) {
        FileChannel channel = null;
        try {
            Files.createDirectories(base.getParent());
            channel = FileChannel.open(
                    base.resolveSibling(base.getFileName() + ".lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (!tryLock(channel)) {
                channel.close();
                log.info(
                        "audit journal {} is held by another process (a running gateway): this one reads the ledger"
                                + " as it is and does not add to it",
                        base);
                return new ReadOnlyLedger(ledger, base);
            }
            return new JournaledLedger(ledger, base, channel, sync, switchBytes, maxBytes);
        } catch (IOException e) {
            closeQuietly(channel);
            ledger.close();
            throw new StoreException("audit store: cannot open the journal " + base + ": " + e.getMessage(), e);
        }
    }

    /** Whether this channel now holds the lock (held by another process, or by another channel in this one: no). */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** Replays what the ledger lacks on first use; failures (the ledger refusing) are retried on the next call. */
    private void recovered() {
        if (head != null) {
            return;
        }
        try {
            Head ledgerHead = ledger.head();
            AuditJournal.Recovered r = journal.recover(ledgerHead);
            if (r.orphans() && !orphansKept) {
                setAside();
                orphansKept = true;
            }
            List<ChainedEntry> entries = r.entries();
            for (int from = 0; from < entries.size(); from += MAX_FILL) {
                ledger.append(entries.subList(from, Math.min(entries.size(), from + MAX_FILL)));
            }
            if (!entries.isEmpty()) {
                log.info("audit journal {}: replayed {} events into the ledger", base, entries.size());
                ChainedEntry last = entries.getLast();
                ledgerHead = new Head(last.sequence(), last.hash());
            }
            filled = ledgerHead.sequence();
            head = ledgerHead;
            if (filler.getState() == Thread.State.NEW) {
                filler.start();
            }
        } catch (IOException e) {
            throw new StoreException("audit store: cannot read the journal " + base + ": " + e.getMessage(), e);
        }
    }

    /** Keeps a copy of journal files whose events do not link to the ledger (a replaced or restored ledger). */
    private void setAside() throws IOException {
        String suffix = ".orphaned-" + System.currentTimeMillis();
        for (int i = 0; i < 2; i++) {
            Path segment = AuditJournal.segmentFile(base, i);
            Files.copy(
                    segment,
                    segment.resolveSibling(segment.getFileName() + suffix),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        log.error(
                "audit journal {} holds events that do not continue the ledger's chain (was the ledger replaced?);"
                        + " kept as *{} and not replayed",
                base,
                suffix);
    }

    @Override
    public Head head() {
        recovered();
        return head;
    }

    @Override
    public void append(List<ChainedEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        recovered();
        try {
            long waitedSince = System.nanoTime();
            while (!journal.write(entries, filled)) {
                if (System.nanoTime() - waitedSince > FULL_WAIT_NANOS) {
                    throw new StoreException("audit store: the journal " + base + " is full and the ledger is not"
                            + " taking its events (last stored: " + filled + ", journaled: " + head.sequence() + ")");
                }
                LockSupport.unpark(filler);
                LockSupport.parkNanos(this, FILL_INTERVAL_NANOS);
            }
        } catch (IOException e) {
            throw new StoreException("audit store: cannot write the journal " + base + ": " + e.getMessage(), e);
        }
        pending.addAll(entries);
        ChainedEntry last = entries.getLast();
        head = new Head(last.sequence(), last.hash());
    }

    /** The filler thread: moves journaled events into the ledger, retrying (without losing them) when it fails. */
    private void fill() {
        List<ChainedEntry> batch = new ArrayList<>();
        boolean failing = false; // logged once per run of failures
        while (true) {
            if (batch.isEmpty() && !closing) {
                LockSupport.parkNanos(this, FILL_INTERVAL_NANOS);
            }
            for (ChainedEntry e; batch.size() < MAX_FILL && (e = pending.poll()) != null; ) {
                batch.add(e);
            }
            if (batch.isEmpty()) {
                if (closing) {
                    return;
                }
                continue;
            }
            try {
                synchronized (ledgerLock) {
                    ledger.append(batch);
                }
                filled = batch.getLast().sequence();
                batch.clear();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.error(
                            "audit ledger behind {} failed; its events stay in the journal and are retried: {}",
                            base,
                            e.getMessage());
                }
                if (closing) {
                    return; // replayed from the journal on the next start
                }
                LockSupport.parkNanos(this, RETRY_NANOS);
                dropStored(batch);
            }
        }
    }

    /** After a failed fill, drops what the ledger has anyway (the transaction may have committed). */
    private void dropStored(List<ChainedEntry> batch) {
        try {
            long stored;
            synchronized (ledgerLock) {
                stored = ledger.head().sequence();
            }
            batch.removeIf(e -> e.sequence() <= stored);
        } catch (RuntimeException e) {
            // still failing: retry the whole batch
        }
    }

    /** Runs {@code read} on the ledger once it holds every event appended so far. */
    private <T> T caughtUp(Supplier<T> read) {
        recovered();
        long target = head.sequence();
        long deadline = System.nanoTime() + READ_TIMEOUT_NANOS;
        while (filled < target) {
            if (System.nanoTime() > deadline) {
                throw new StoreException("audit store: the ledger behind " + base + " has not taken the journal's"
                        + " events within 30 s (stored: " + filled + ", journaled: " + target + ")");
            }
            LockSupport.unpark(filler);
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        synchronized (ledgerLock) {
            return read.get();
        }
    }

    @Override
    public List<ChainedEntry> lookup(LookupQuery query) {
        return caughtUp(() -> ledger.lookup(query));
    }

    @Override
    public void scan(Consumer<ChainedEntry> sink) {
        caughtUp(() -> {
            ledger.scan(sink);
            return null;
        });
    }

    @Override
    public void scanBefore(Instant cutoff, Consumer<ChainedEntry> sink) {
        caughtUp(() -> {
            ledger.scanBefore(cutoff, sink);
            return null;
        });
    }

    @Override
    public Head checkpoint() {
        return caughtUp(ledger::checkpoint);
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return caughtUp(() -> ledger.purgeBefore(cutoff));
    }

    /**
     * True without syncing, once the journal is recovered and while the ledger keeps up: an append is then one
     * write into the operating system's cache, a few microseconds.
     */
    @Override
    public boolean quickAppends() {
        return !sync && head != null && backlog() < QUICK_BACKLOG;
    }

    /** Journaled events the fill thread has not moved into SQLite yet. */
    @Override
    public long backlog() {
        Head end = head;
        return end == null ? 0 : Math.max(0, end.sequence() - filled);
    }

    @Override
    public boolean ping() {
        synchronized (ledgerLock) {
            return ledger.ping();
        }
    }

    /** Fills what is pending (events that cannot be stored now stay in the journal for the next start). */
    @Override
    public void close() {
        closing = true;
        if (filler.getState() != Thread.State.NEW) {
            LockSupport.unpark(filler);
            try {
                filler.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("audit journal {}: closing failed: {}", base, e.getMessage());
        }
        synchronized (ledgerLock) {
            ledger.close();
        }
        closeQuietly(lockChannel); // releases the lock
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
