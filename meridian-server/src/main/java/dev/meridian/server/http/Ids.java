package dev.meridian.server.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (RFC 9562 version 7: 48-bit Unix milliseconds, then 74 random bits) for request and event
 * ids. Ordered ids keep the audit store's id index append-only (random v4 ids dirty a random index page per
 * event), and {@link ThreadLocalRandom} avoids {@code SecureRandom}'s shared lock on the request path; the ids
 * are identifiers, not secrets.
 */
public final class Ids {
    private Ids() {}

    /** A new version-7 UUID. */
    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
