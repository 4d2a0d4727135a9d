package dev.meridian.server.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers answers computed from the few distinct strings SigV4 verification sees again and again (request paths,
 * {@code SignedHeaders} lists), so each is computed once rather than on every request. The strings come from any
 * caller, so the memo is bounded: it is emptied when full, which costs recomputations, never a wrong answer. The
 * computation must depend on the key alone.
 */
final class BoundedMemo<V> {
    static final int MAX_ENTRIES = 1024;

    private final ConcurrentHashMap<String, V> answers = new ConcurrentHashMap<>();

    /** The answer for {@code key}: remembered, or computed by {@code compute} and remembered. */
    V get(String key, Function<String, V> compute) {
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        if (answers.size() >= MAX_ENTRIES) {
            answers.clear();
        }
        V answer = compute.apply(key);
        answers.put(key, answer);
        return answer;
    }
}
