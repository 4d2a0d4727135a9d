package dev.meridian.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.util.Exceptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Failed requests of one load phase, counted by cause (the HTTP status, or the exception that ended the exchange),
 * so that a phase with errors says what they were instead of a bare count.
 */
final class ErrorTally {
    private final Map<String, LongAdder> byCause = new ConcurrentHashMap<>();

    /** Counts a failed exchange: {@code err} when it did not complete, else its non-200 {@code response}. */
    void add(AggregatedHttpResponse response, Throwable err) {
        String cause = err != null
                ? name(Exceptions.peel(err))
                : "HTTP " + response.status().code();
        byCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    /** The exception's simple name, with its cause's when it wraps one (Armeria's UnprocessedRequestException). */
    private static String name(Throwable t) {
        Throwable cause = t.getCause();
        String own = t.getClass().getSimpleName();
        return cause == null || cause == t ? own : own + "(" + cause.getClass().getSimpleName() + ")";
    }

    long total() {
        return byCause.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** E.g. {@code "HTTP 429: 120, ResponseTimeoutException: 3"}, causes in name order; empty without errors. */
    String causes() {
        return new TreeMap<>(byCause)
                .entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue().sum())
                        .collect(Collectors.joining(", "));
    }
}
