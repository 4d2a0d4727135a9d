package dev.meridian.core.route;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which region last served a prompt prefix, so follow-up requests of a conversation can go where the
 * model server still holds that prefix in its cache.
 *
 * <p>Bounded: two generations of at most {@code capacity / 2} entries each; when the young one fills up it
 * becomes the old one and the previous old one is dropped. That keeps recently used prefixes (an approximate LRU)
 * at O(1) per operation with no per-entry bookkeeping. Thread-safe; lookups and updates take no lock (only the
 * rare generation swap does), since every request on every event loop reads it and every answer writes it.
 */
public final class PrefixAffinity {
    private final int generationSize;
    private volatile ConcurrentHashMap<Long, String> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<Long, String> old = new ConcurrentHashMap<>();

    public PrefixAffinity(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 2)");
        }
        this.generationSize = capacity / 2;
    }

    /** Records that {@code region} served a request with {@code prefixKey} (0 is ignored). */
    public void remember(long prefixKey, String region) {
        if (prefixKey == 0) {
            return;
        }
        ConcurrentHashMap<Long, String> current = young;
        if (region.equals(current.get(prefixKey))) {
            return;
        }
        current.put(prefixKey, region);
        if (current.size() > generationSize) {
            synchronized (this) {
                if (young == current) {
                    old = current;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
    }

    /** The region that last served {@code prefixKey}, or {@code null}. */
    public String region(long prefixKey) {
        if (prefixKey == 0) {
            return null;
        }
        String region = young.get(prefixKey);
        return region != null ? region : old.get(prefixKey);
    }
}
