package dev.meridian.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One source region's stored audit trail. Implementations are blocking and used from one thread at a time
 * ({@link AuditWriter} serialises them); the embedded and PostgreSQL stores share one implementation and pass
 * the same test suite.
 */
public interface AuditLedger extends AutoCloseable {

    /** The last stored event's sequence and hash, or the checkpoint (or genesis) when the trail is empty. */
    Head head();

    /** The chain's end: the next event gets {@code sequence + 1} and links to {@code hash}. */
    record Head(long sequence, String hash) {}

    /** Stores {@code entries} in one durable transaction: all of them or none. */
    void append(List<ChainedEntry> entries);

    /** Events matching {@code query}, newest first. */
    List<ChainedEntry> lookup(LookupQuery query);

    /** Every stored event in sequence order, for verification and export. */
    void scan(Consumer<ChainedEntry> sink);

    /** The events older than {@code cutoff}, in sequence order (uses the time index: retention reads only these). */
    void scanBefore(Instant cutoff, Consumer<ChainedEntry> sink);

    /** Where the retained chain starts: the last purged event, or {@code (0, GENESIS)}. */
    Head checkpoint();

    /**
     * Deletes events older than {@code cutoff} and moves the checkpoint past them, in one transaction; the
     * caller exports them first.
     *
     * @return the number of events removed
     */
    int purgeBefore(Instant cutoff);

    /**
     * Whether {@link #append} currently returns without waiting for a disk or a network, so that the thread
     * handling a request may append its event itself instead of handing it to the writer thread and waiting for
     * a wake-up (two thread switches, most of an event's cost when the append is a write into the operating
     * system's cache).
     */
    default boolean quickAppends() {
        return false;
    }

    /**
     * Events that are durable but not yet in the store's tables (the embedded store's journal, see
     * {@link AuditStores}); 0 for a store whose tables are its durability point. Safe from any thread.
     */
    default long backlog() {
        return 0;
    }

    /** Whether the store answers now (a cheap round trip). */
    boolean ping();

    @Override
    void close();
}
