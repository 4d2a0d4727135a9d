package dev.meridian.server.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of {@link AuditJournal} records. Each record is {@code [int length][int crc32c][body]}; the
 * body holds the event's sequence, time in milliseconds (what the ledger keeps), read-only flag and its strings
 * ({@code int} byte count, {@code -1} for null, then UTF-8). A length of zero is the zero-filled space after the
 * last record; any record whose length runs past the segment or whose checksum does not match (a write torn by a
 * crash) ends the segment, as does a record that does not continue the chain of the one before it (an older
 * record left behind when the segment was reused).
 */
final class JournalRecords {
    private static final int HEADER_BYTES = 8;
    /** Longer than any real event; a larger length is corruption, not a record. */
    private static final int MAX_BODY_BYTES = 64 << 20;

    private JournalRecords() {}

    /** Appends {@code entry}'s record to {@code out}. */
    static void encode(ChainedEntry entry, ByteArrayOutputStream out) {
        AuditEntry e = entry.entry();
        BodyWriter body = new BodyWriter();
        body.putLong(entry.sequence());
        body.putLong(e.eventTime().toEpochMilli());
        body.putByte(e.readOnly() ? 1 : 0);
        for (String s : new String[] {
            e.eventId(),
            e.eventName(),
            e.eventSource(),
            e.username(),
            e.accessKeyId(),
            e.resourceType(),
            e.resourceName(),
            e.recordJson(),
            entry.prevHash(),
            entry.hash()
        }) {
            body.putString(s);
        }
        byte[] bytes = body.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(bytes.length).putInt((int) crc.getValue());
        out.writeBytes(header.array());
        out.writeBytes(bytes);
    }

    /** A record read back, and the offset just past it. */
    record Decoded(ChainedEntry entry, int end) {}

    /**
     * The records at the start of {@code segment} that are whole and each continue the chain of the one before
     * (sequence one higher, previous hash equal to its hash); reading stops at the first that is not.
     */
    static List<Decoded> decodeChain(ByteBuffer segment) {
        List<Decoded> out = new ArrayList<>();
        int at = 0;
        ChainedEntry last = null;
        while (true) {
            ChainedEntry next = decodeAt(segment, at);
            if (next == null || (last != null && !continues(last, next))) {
                return out;
            }
            at += HEADER_BYTES + segment.getInt(at);
            out.add(new Decoded(next, at));
            last = next;
        }
    }

    private static boolean continues(ChainedEntry last, ChainedEntry next) {
        return next.sequence() == last.sequence() + 1 && next.prevHash().equals(last.hash());
    }

    /** The record at {@code at}, or null when there is none whole and intact there. */
    private static ChainedEntry decodeAt(ByteBuffer segment, int at) {
        if (segment.limit() - at < HEADER_BYTES) {
            return null;
        }
        int length = segment.getInt(at);
        if (length <= 0 || length > MAX_BODY_BYTES || length > segment.limit() - at - HEADER_BYTES) {
            return null;
        }
        byte[] body = new byte[length];
        segment.get(at + HEADER_BYTES, body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        if ((int) crc.getValue() != segment.getInt(at + 4)) {
            return null;
        }
        try {
            return readBody(ByteBuffer.wrap(body));
        } catch (RuntimeException e) {
            return null; // a checksum collision on garbage: not a record
        }
    }

    private static ChainedEntry readBody(ByteBuffer b) {
        long sequence = b.getLong();
        Instant time = Instant.ofEpochMilli(b.getLong());
        boolean readOnly = b.get() == 1;
        String eventId = readString(b);
        String eventName = readString(b);
        String eventSource = readString(b);
        String username = readString(b);
        String accessKeyId = readString(b);
        String resourceType = readString(b);
        String resourceName = readString(b);
        String recordJson = readString(b);
        String prevHash = readString(b);
        String hash = readString(b);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes");
        }
        AuditEntry entry = new AuditEntry(
                time,
                eventId,
                eventName,
                eventSource,
                username,
                accessKeyId,
                readOnly,
                resourceType,
                resourceName,
                recordJson);
        return new ChainedEntry(sequence, entry, prevHash, hash);
    }

    private static String readString(ByteBuffer b) {
        int length = b.getInt();
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A growable big-endian buffer for one body. */
    private static final class BodyWriter {
        private ByteBuffer buffer = ByteBuffer.allocate(1024);

        void putLong(long v) {
            room(8).putLong(v);
        }

        void putByte(int v) {
            room(1).put((byte) v);
        }

        void putString(String s) {
            if (s == null) {
                room(4).putInt(-1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            room(4 + bytes.length).putInt(bytes.length).put(bytes);
        }

        private ByteBuffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                larger.put(buffer);
                buffer = larger;
            }
            return buffer;
        }

        byte[] toByteArray() {
            byte[] out = new byte[buffer.position()];
            buffer.get(0, out);
            return out;
        }
    }
}
