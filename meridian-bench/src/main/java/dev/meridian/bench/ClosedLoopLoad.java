package dev.meridian.bench;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator: {@code concurrency} virtual users each send the next request as soon as the
 * previous one answers, for a fixed time. Latencies of successful requests are kept (bounded) for percentiles.
 * Closed loops under-report tail latency when the server stalls (coordinated omission); here both targets are
 * measured the same way in one run, so the comparison between them stays fair.
 */
final class ClosedLoopLoad {
    private static final int MAX_SAMPLES = 2_000_000;

    /** {@code errorCauses}: the failed requests by cause ({@link ErrorTally#causes()}), empty when none failed. */
    record Result(String name, long requests, long errors, double seconds, long[] sortedMicros, String errorCauses) {
        double rps() {
            return requests / seconds;
        }

        /** {@code nanos} of CPU time spread over every request sent (answered or failed), in microseconds. */
        double microsPerRequest(long nanos) {
            return perRequest(nanos / 1000.0);
        }

        /** {@code amount} (CPU time, context switches) spread over every request sent, answered or failed. */
        double perRequest(double amount) {
            return amount / Math.max(1, requests + errors);
        }

        double percentileMicros(double p) {
            if (sortedMicros.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sortedMicros.length - 1, Math.ceil(p / 100.0 * sortedMicros.length) - 1);
            return sortedMicros[Math.max(0, i)];
        }
    }

    private ClosedLoopLoad() {}

    static Result run(
            String name, WebClient client, RequestHeaders headers, byte[] body, int concurrency, long durationMillis)
            throws InterruptedException {
        long[] samples = new long[MAX_SAMPLES];
        AtomicLong count = new AtomicLong();
        ErrorTally errors = new ErrorTally();
        long end = System.nanoTime() + durationMillis * 1_000_000;
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int u = 0; u < concurrency; u++) {
            fire(client, headers, body, end, samples, count, errors, done);
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = (int) Math.min(count.get(), MAX_SAMPLES);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new Result(name, count.get(), errors.total(), seconds, sorted, errors.causes());
    }

    private static void fire(
            WebClient client,
            RequestHeaders headers,
            byte[] body,
            long end,
            long[] samples,
            AtomicLong count,
            ErrorTally errors,
            CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long t0 = System.nanoTime();
        client.execute(HttpRequest.of(headers, HttpData.wrap(body))).aggregate().handle((res, err) -> {
            long micros = (System.nanoTime() - t0) / 1000;
            if (err == null && res.status().code() == 200) {
                long i = count.getAndIncrement();
                if (i < MAX_SAMPLES) {
                    samples[(int) i] = micros;
                }
            } else {
                errors.add(res, err);
            }
            fire(client, headers, body, end, samples, count, errors, done);
            return null;
        });
    }
}
