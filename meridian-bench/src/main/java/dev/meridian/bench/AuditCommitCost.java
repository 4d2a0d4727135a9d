package dev.meridian.bench;

import dev.meridian.server.audit.AuditTrail;
import dev.meridian.server.audit.AuditedOperation;
import dev.meridian.server.audit.CloudTrailRecord;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cost of durable audit events: N concurrent writers each append an event and wait until it is durable,
 * then append the next (a closed loop, as requests do), against the embedded store. With one writer every
 * event pays a whole commit (the baseline); with more writers, events share commits (group commit). Reports
 * events/s, per-event latency percentiles and the average number of events per commit.
 *
 * <p>Usage: {@code AuditCommitCost [seconds-per-phase=5] [writers...=1 4 16 64]}
 */
public final class AuditCommitCost {
    private AuditCommitCost() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] writers = args.length > 1
                ? Arrays.stream(args, 1, args.length)
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : new int[] {1, 4, 16, 64};
        boolean sync = !"os".equals(System.getProperty("meridian.bench.auditSync"));
        System.out.printf(
                "durable audit appends, embedded store (%s, then SQLite), %d s per phase%n",
                sync ? "journal with fdatasync (audit.sync: disk)" : "journal without fdatasync (audit.sync: os)",
                seconds);
        System.out.printf(
                "%8s %12s %10s %10s %10s %14s %12s%n",
                "writers", "events/s", "p50 us", "p99 us", "p99.9 us", "events/commit", "CPU us/event");
        for (int w : writers) {
            phase(w, seconds, sync);
        }
        System.exit(0);
    }

    private static void phase(int writers, int seconds, boolean sync) throws Exception {
        Path dir = ScratchFiles.directory("meridian-audit-bench-");
        try (AuditTrail trail = new AuditTrail(StoreSettings.embedded().withAuditSync(sync), dir)) {
            run(trail, writers, 1); // warm-up: open, migrate, JIT
            AuditTrail.Health before = trail.health("eu-central-1");
            long cpuBefore = cpuNanos();
            long[] latencies = run(trail, writers, seconds);
            long cpu = cpuNanos() - cpuBefore;
            AuditTrail.Health after = trail.health("eu-central-1");
            double perCommit =
                    (after.events() - before.events()) / (double) Math.max(1, after.commits() - before.commits());
            Arrays.sort(latencies);
            System.out.printf(
                    "%8d %12.0f %10d %10d %10d %14s %12.1f%n",
                    writers,
                    latencies.length / (double) seconds,
                    latencies[latencies.length / 2] / 1000,
                    latencies[(int) (latencies.length * 0.99)] / 1000,
                    latencies[(int) (latencies.length * 0.999)] / 1000,
                    String.format("%.1f", perCommit),
                    cpu / 1000.0 / latencies.length);
        }
    }

    /** CPU time of the whole process (all threads, user and system). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long[] run(AuditTrail trail, int writers, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<List<Long>>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            results.add(CompletableFuture.supplyAsync(
                    () -> {
                        List<Long> mine = new ArrayList<>();
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            trail.record("eu-central-1", event()).join();
                            mine.add(System.nanoTime() - t0);
                        }
                        return mine;
                    },
                    pool));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long[] all = results.stream()
                .flatMap(f -> f.join().stream())
                .mapToLong(Long::longValue)
                .toArray();
        pool.shutdown();
        return all;
    }

    private static dev.meridian.server.audit.AuditEntry event() {
        return CloudTrailRecord.entry(new CloudTrailRecord.Facts(
                new AuditedOperation(
                        "Converse", "bedrock.amazonaws.com", false, true, "AWS::Bedrock::Model", "eu.amazon.nova"),
                new Caller("bench", "eu-central-1", "AKIABENCH"),
                "111122223333",
                Instant.now(),
                UUID.randomUUID().toString(),
                "127.0.0.1",
                "bench",
                Json.object().put("modelId", "eu.amazon.nova"),
                null,
                "eu-west-3",
                null,
                null,
                null));
    }
}
