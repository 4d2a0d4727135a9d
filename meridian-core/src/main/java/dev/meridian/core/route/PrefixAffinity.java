package dev.meridian.core.route;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers which region last served a prompt prefix, so follow-up requests of a conversation can go where the
 * model server still holds that prefix in its cache.
 *
 * <p>Bounded: two generations of at most {@code capacity / 2} entries each; when the young one fills up it
 * becomes the old one and the previous old one is dropped. That keeps recently used prefixes (an approximate LRU)
 * at O(1) per operation with no per-entry bookkeeping. Thread-safe.
 */
public final class PrefixAffinity {
    private final int generationSize;
    private Map<Long, String> young = new HashMap<>();
    private Map<Long, String> old = new HashMap<>();

    public PrefixAffinity(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 2)");
        }
        this.generationSize = capacity / 2;
    }

    /** Records that {@code region} served a request with {@code prefixKey} (0 is ignored). */
    public synchronized void remember(long prefixKey, String region) {
        if (prefixKey == 0) {
            return;
        }
        if (young.size() >= generationSize && !young.containsKey(prefixKey)) {
            old = young;
            young = new HashMap<>();
        }
        young.put(prefixKey, region);
    }

    /** The region that last served {@code prefixKey}, or {@code null}. */
    public synchronized String region(long prefixKey) {
        if (prefixKey == 0) {
            return null;
        }
        String region = young.get(prefixKey);
        return region != null ? region : old.get(prefixKey);
    }
}
