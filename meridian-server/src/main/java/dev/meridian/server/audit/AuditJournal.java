package dev.meridian.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A region's audit events made durable with one small write and one {@code fdatasync}, instead of a SQLite
 * transaction each (about half the time and a third of the CPU on this project's test machine; docs/benchmarks.md,
 * fourteenth pass). The ledger is filled from it later in large transactions ({@link JournaledLedger}).
 *
 * <p>Two segment files are written in turn. Records go one after the other into the active segment; once it
 * holds {@code switchBytes} and every record of the other segment is in the ledger, writing moves to the start
 * of the other segment, overwriting what it held. Segments are zero-filled ahead of the writes in steps that
 * double from {@link #MIN_EXTENT_STEP} to {@link #EXTENT_STEP} (a write into allocated space needs no metadata in
 * the sync; an append does; a region with few events keeps a small file; without syncing, nothing is
 * zero-filled), and they keep that space, so a steady gateway allocates nothing. On start, {@link #recover}
 * reads each segment from its beginning while records stay whole and chained (see {@link JournalRecords}) and
 * returns the events that the ledger does not have yet.
 *
 * <p>Not thread-safe: one thread at a time uses it (under the audit writer's lock), apart from the filled-sequence
 * the caller supplies.
 */
final class AuditJournal implements AutoCloseable {
    /** Zero-fill at most this much at a time ahead of the writes. */
    static final int EXTENT_STEP = 1 << 20;
    /** The first zero-fill of a segment. */
    static final int MIN_EXTENT_STEP = 64 << 10;

    private final Segment[] segments;
    private final boolean sync;
    private final long switchBytes;
    private final long maxSegmentBytes;
    private int active;
    /**
     * A write failed part-way: its records may be on disk though no caller was told they are durable. The next
     * write overwrites them in the same place, so that they cannot be read back as part of the chain.
     */
    private boolean unsettled;

    private boolean closed;

    private static final class Segment {
        final Path file;
        FileChannel channel;
        long position;
        long extent;
        /** The highest sequence written here since the segment was last rewound (0: none). */
        long lastSequence;

        Segment(Path file) throws IOException {
            this.file = file;
            this.channel = open(file);
            this.extent = channel.size();
        }

        static FileChannel open(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /**
     * Opens (creating when absent) the segments {@code base + "-0"} and {@code base + "-1"}.
     *
     * @param sync whether a write waits for the disk ({@code fdatasync}); without it a write is durable against
     *     a crash of the process (it is in the operating system's cache), not of the machine
     * @param switchBytes how full the active segment gets before writing moves to the other one, when it can
     * @param maxSegmentBytes how full it may get while the other one still holds events the ledger lacks
     */
    AuditJournal(Path base, boolean sync, long switchBytes, long maxSegmentBytes) throws IOException {
        if (switchBytes <= 0 || maxSegmentBytes < switchBytes) {
            throw new IllegalArgumentException("switchBytes " + switchBytes + ", maxSegmentBytes " + maxSegmentBytes
                    + " (expected: 0 < switch <= max)");
        }
        this.sync = sync;
        this.switchBytes = switchBytes;
        this.maxSegmentBytes = maxSegmentBytes;
        this.segments = new Segment[] {new Segment(segmentFile(base, 0)), new Segment(segmentFile(base, 1))};
    }

    /** Segment {@code index} (0 or 1) of the journal at {@code base}: {@code base-0}, {@code base-1}. */
    static Path segmentFile(Path base, int index) {
        return base.resolveSibling(base.getFileName() + "-" + index);
    }

    /**
     * The events after {@code head}, read from both segments in chain order, for the ledger to take before
     * anything new is written. Writing then starts at the beginning of the first segment: everything that was in
     * the journal is in the ledger (or, when {@link Recovered#orphans} is true, set aside by the caller).
     */
    Recovered recover(AuditLedger.Head head) throws IOException {
        List<ChainedEntry> records = new ArrayList<>();
        for (Segment s : segments) {
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(s.channel.size(), Integer.MAX_VALUE - 8));
            s.channel.read(bytes, 0);
            bytes.flip();
            JournalRecords.decodeChain(bytes).forEach(d -> records.add(d.entry()));
        }
        records.sort(Comparator.comparingLong(ChainedEntry::sequence));
        List<ChainedEntry> after = new ArrayList<>();
        long sequence = head.sequence();
        String hash = head.hash();
        boolean orphans = false;
        for (ChainedEntry e : records) {
            if (e.sequence() == sequence + 1 && e.prevHash().equals(hash)) {
                after.add(e);
                sequence = e.sequence();
                hash = e.hash();
            } else if (e.sequence() > sequence) {
                orphans = true; // does not link to the ledger's chain: not ours to replay
            } // else the ledger has it already
        }
        for (Segment s : segments) {
            s.position = 0;
            s.lastSequence = 0;
        }
        active = 0;
        unsettled = false;
        return new Recovered(after, orphans);
    }

    /**
     * What {@link #recover} found.
     *
     * @param entries the events to add to the ledger, in order
     * @param orphans whether the journal also held events that do not continue the ledger's chain
     */
    record Recovered(List<ChainedEntry> entries, boolean orphans) {}

    /**
     * Writes {@code batch} and, when syncing, waits until the disk has it.
     *
     * @param filledSequence the highest sequence the ledger holds durably (decides whether a segment is free)
     * @return false, writing nothing, when neither segment has room: the ledger is too far behind
     */
    boolean write(List<ChainedEntry> batch, long filledSequence) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 2048);
        for (ChainedEntry e : batch) {
            JournalRecords.encode(e, bytes);
        }
        Segment s = segments[active];
        Segment other = segments[1 - active];
        boolean mayMove = !unsettled && other.lastSequence <= filledSequence;
        if (mayMove && (s.position >= switchBytes || s.position + bytes.size() > maxSegmentBytes)) {
            active = 1 - active;
            s = other;
            s.position = 0;
            s.lastSequence = 0;
        }
        if (s.position + bytes.size() > Math.max(maxSegmentBytes, bytes.size())) {
            return false;
        }
        unsettled = true;
        long at = s.position;
        try {
            if (sync) {
                extendTo(s, s.position + bytes.size());
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                at += s.channel.write(buffer, at);
            }
            if (sync) {
                s.channel.force(false);
            }
        } catch (ClosedChannelException e) {
            reopen(s);
            throw e;
        }
        unsettled = false;
        s.position = at;
        s.lastSequence = batch.getLast().sequence();
        return true;
    }

    /**
     * A channel closes when a thread writing to it is interrupted (the JDK's interruptible I/O). The journal is
     * written from request threads ({@link AuditLedger#quickAppends}), so one interrupt must not end it for the
     * whole process: the segment is opened again, and the next write, still unsettled, lands where this one
     * began.
     */
    private void reopen(Segment s) throws IOException {
        if (!closed && !s.channel.isOpen()) {
            s.channel = Segment.open(s.file);
        }
    }

    /** Zero-fills the segment up to past {@code end}, so the record writes land in allocated space. */
    private static void extendTo(Segment s, long end) throws IOException {
        if (end <= s.extent) {
            return;
        }
        long step = Math.clamp(s.extent, MIN_EXTENT_STEP, EXTENT_STEP);
        long target = (end / step + 1) * step;
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long at = s.extent; at < target; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
            at += s.channel.write(zeros, at);
        }
        s.extent = target;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (Segment s : segments) {
            try {
                s.channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
