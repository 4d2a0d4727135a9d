package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.TestGateways;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller commits its own event when the ledger's appends are quick ({@code audit.sync: os}), and hands it to the
 * writer thread otherwise; mixed with the writer's batches and reads under concurrency, the chain stays whole.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a future never completed fails, not hangs
class AuditWriterCallerCommitTest {
    static final String REGION = AuditLedgerContract.REGION;

    static final LookupQuery LATEST = new LookupQuery(
            new LookupQuery.Attribute(LookupQuery.Key.EventName, "Converse"),
            Instant.EPOCH,
            Instant.now().plusSeconds(3600),
            Long.MAX_VALUE,
            10);

    final Path directory = TestGateways.freshDirectory();

    /** Notes which thread runs each append. */
    static final class ThreadNotingLedger extends ForwardingLedger {
        final Queue<String> appendThreads = new ConcurrentLinkedQueue<>();

        ThreadNotingLedger(AuditLedger ledger) {
            super(ledger);
        }

        @Override
        public void append(List<ChainedEntry> entries) {
            appendThreads.add(Thread.currentThread().getName());
            super.append(entries);
        }
    }

    static AuditEntry event() {
        return AuditLedgerContract.event("Converse", Instant.now(), false);
    }

    private List<String> appendThreadsOfTwentyEvents(StoreSettings settings) {
        ThreadNotingLedger ledger = new ThreadNotingLedger(AuditStores.open(settings, directory, REGION));
        try (AuditWriter writer = new AuditWriter(REGION, ledger)) {
            writer.append(event()).join(); // the first goes through the writer, which recovers the journal
            ledger.appendThreads.clear();
            for (int i = 0; i < 20; i++) {
                writer.append(event()).join();
            }
        }
        return List.copyOf(ledger.appendThreads);
    }

    @Test
    void syncOs_theCallerCommitsItsOwnEvent() {
        String caller = Thread.currentThread().getName();
        List<String> threads =
                appendThreadsOfTwentyEvents(StoreSettings.embedded().withAuditSync(false));

        assertThat(threads).hasSize(20);
        // the writer's once-a-second health check may hold the ledger at the moment of an append
        assertThat(threads.stream().filter(caller::equals).count()).isGreaterThanOrEqualTo(18);
    }

    @Test
    void syncDisk_everyEventGoesThroughTheWriterThread() {
        List<String> threads = appendThreadsOfTwentyEvents(StoreSettings.embedded());

        assertThat(threads).hasSize(20).allMatch(t -> t.equals("meridian-audit-" + REGION));
    }

    @Test
    void interruptedCaller_handsItsEventToTheWriter_andTheTrailGoesOn() {
        ThreadNotingLedger ledger = new ThreadNotingLedger(
                AuditStores.open(StoreSettings.embedded().withAuditSync(false), directory, REGION));
        try (AuditWriter writer = new AuditWriter(REGION, ledger)) {
            writer.append(event()).join();
            ledger.appendThreads.clear();
            Thread.currentThread().interrupt();
            CompletableFuture<ChainedEntry> appended;
            try {
                appended = writer.append(event());
            } finally {
                Thread.interrupted();
            }
            assertThat(appended.join().sequence()).isEqualTo(2);
            assertThat(writer.append(event()).join().sequence()).isEqualTo(3);
        }
        assertThat(ledger.appendThreads)
                .containsExactly(
                        "meridian-audit-" + REGION, Thread.currentThread().getName());
    }

    @Test
    void concurrentCallersAndReads_everyEventStoredOnceInOneUnbrokenChain() throws Exception {
        ThreadNotingLedger ledger = new ThreadNotingLedger(
                AuditStores.open(StoreSettings.embedded().withAuditSync(false), directory, REGION));
        int callers = 8;
        int perCaller = 150;
        List<CompletableFuture<ChainedEntry>> appended = new ArrayList<>();
        try (AuditWriter writer = new AuditWriter(REGION, ledger);
                ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            writer.append(event()).join();
            List<CompletableFuture<List<CompletableFuture<ChainedEntry>>>> work = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                work.add(CompletableFuture.supplyAsync(
                        () -> {
                            List<CompletableFuture<ChainedEntry>> mine = new ArrayList<>();
                            for (int i = 0; i < perCaller; i++) {
                                mine.add(writer.append(event()));
                                if (i % 50 == 0) {
                                    writer.read(l -> l.lookup(LATEST)).join();
                                }
                            }
                            return mine;
                        },
                        pool));
            }
            for (var w : work) {
                appended.addAll(w.get());
            }
            long[] sequences = appended.stream()
                    .mapToLong(f -> f.join().sequence())
                    .sorted()
                    .toArray();
            assertThat(sequences)
                    .containsExactly(
                            LongStream.rangeClosed(2, 1 + callers * perCaller).toArray());

            ChainVerifier.Report report = writer.read(ChainVerifier::verify).join();
            assertThat(report.problems()).isEmpty();
            assertThat(report.events()).isEqualTo(1 + callers * perCaller);
        }
        assertThat(ledger.appendThreads)
                .as("both paths ran: callers committing and the writer's batches")
                .anyMatch(t -> t.startsWith("pool-"))
                .anyMatch(t -> t.startsWith("meridian-audit-"));
    }
}
