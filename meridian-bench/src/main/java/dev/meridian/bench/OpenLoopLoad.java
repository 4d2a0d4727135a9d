package dev.meridian.bench;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load generator: requests are sent on a fixed schedule ({@code rate} per second) whether or not
 * earlier ones have answered, and each latency is measured from the request's <em>intended</em> send time, so a
 * stall is charged to every request it delays (no coordinated omission). Sends are asynchronous; one thread paces
 * them. By default nothing bounds the requests in flight, so an HTTP/1.1 client opens a connection for each one
 * while answers are slow; {@code -Dmeridian.bench.connections=N} allows at most N in flight (so at most N
 * connections, as wrk2 and h2load keep a fixed set), and a send that has to wait for one still counts from its
 * intended time.
 */
final class OpenLoopLoad {
    private static final int MAX_SAMPLES = 4_000_000;

    private OpenLoopLoad() {}

    static ClosedLoopLoad.Result run(
            String name, WebClient client, RequestHeaders headers, byte[] body, int rate, long durationMillis)
            throws InterruptedException {
        return run(name, client, headers, body, rate, durationMillis, false);
    }

    /**
     * As {@link #run(String, WebClient, RequestHeaders, byte[], int, long)}; with {@code firstByteOnly} the latency is
     * to the first body byte (time to first byte of a stream), still from the intended send time.
     */
    static ClosedLoopLoad.Result run(
            String name,
            WebClient client,
            RequestHeaders headers,
            byte[] body,
            int rate,
            long durationMillis,
            boolean firstByteOnly)
            throws InterruptedException {
        long total = rate * durationMillis / 1000;
        long interval = 1_000_000_000L / rate;
        long[] samples = new long[(int) Math.min(total, MAX_SAMPLES)];
        AtomicLong ok = new AtomicLong();
        ErrorTally errors = new ErrorTally();
        CountDownLatch done = new CountDownLatch((int) total);
        int maxInFlight = Integer.getInteger("meridian.bench.connections", 0);
        Semaphore inFlight = new Semaphore(maxInFlight > 0 ? maxInFlight : Integer.MAX_VALUE);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire(); // with a bound, a late send is charged from its intended time like any other
            long[] firstByte = {0};
            var response = client.execute(HttpRequest.of(headers, HttpData.wrap(body)));
            if (firstByteOnly) {
                response = response.peekData(d -> {
                    if (firstByte[0] == 0 && !d.isEmpty()) {
                        firstByte[0] = System.nanoTime();
                    }
                });
            }
            response.aggregate().handle((res, err) -> {
                long end = firstByteOnly && firstByte[0] != 0 ? firstByte[0] : System.nanoTime();
                long micros = (end - intended) / 1000;
                if (err == null && res.status().code() == 200) {
                    long k = ok.getAndIncrement();
                    if (k < samples.length) {
                        samples[(int) k] = micros;
                    }
                } else {
                    errors.add(res, err);
                }
                inFlight.release();
                done.countDown();
                return null;
            });
        }
        done.await(durationMillis + 60_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = (int) Math.min(ok.get(), samples.length);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new ClosedLoopLoad.Result(name, ok.get(), errors.total(), seconds, sorted, errors.causes());
    }
}
