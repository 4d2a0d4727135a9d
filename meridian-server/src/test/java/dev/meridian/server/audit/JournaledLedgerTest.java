package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.server.TestGateways;
import dev.meridian.server.store.StoreException;
import dev.meridian.server.store.StoreSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal in front of the embedded ledger: an event acknowledged by {@link JournaledLedger#append} is in the
 * ledger after any crash, replayed from the journal on the next open; what a crash tore is not; events that do not
 * continue the ledger's chain are kept aside, not replayed; a full journal refuses appends instead of losing them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a future never completed fails, not hangs
class JournaledLedgerTest {
    static final String REGION = AuditLedgerContract.REGION;

    final Path directory = TestGateways.freshDirectory();
    final Path base = AuditStores.journalBase(directory, REGION);

    /** The SQLite ledger alone (no journal of its own), as the journal's target. */
    StoppableLedger sqlite() {
        return new StoppableLedger(AuditStores.sqlite(directory, REGION, false));
    }

    static List<String> eventIds(AuditLedger ledger) {
        List<String> ids = new ArrayList<>();
        ledger.scan(e -> ids.add(e.entry().eventId()));
        return ids;
    }

    /** Appends {@code count} events one by one through a writer on {@code ledger}; their ids, in order. */
    static List<String> appendEach(AuditLedger ledger, int count) {
        AuditWriter writer = new AuditWriter(REGION, ledger);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ids.add(writer.append(AuditLedgerContract.event("Converse", Instant.now(), false))
                        .join()
                        .entry()
                        .eventId());
            }
        } finally {
            writer.close();
        }
        return ids;
    }

    @Test
    void append_ledgerNeverFilled_eventsReplayedOnNextOpen() {
        StoppableLedger stopped = sqlite();
        stopped.failAppends = true; // the gateway dies before the ledger took anything
        List<String> acknowledged = appendEach(JournaledLedger.open(stopped, base, true), 25);

        try (AuditLedger reopened = JournaledLedger.open(sqlite(), base, true)) {
            assertThat(eventIds(reopened)).containsExactlyElementsOf(acknowledged);
            assertThat(ChainVerifier.verify(reopened).problems()).isEmpty();
        }
        try (AuditLedger plain = sqlite()) {
            assertThat(eventIds(plain)).as("in the SQLite file itself").containsExactlyElementsOf(acknowledged);
        }
    }

    @Test
    void backlog_countsJournaledEventsUntilTheLedgerTakesThem() {
        StoppableLedger stopped = sqlite();
        stopped.failAppends = true;
        AuditWriter writer = new AuditWriter(REGION, JournaledLedger.open(stopped, base, true));
        try {
            for (int i = 0; i < 4; i++) {
                writer.append(AuditLedgerContract.event("Converse", Instant.now(), false))
                        .join();
            }
            assertThat(writer.backlog()).isEqualTo(4);
            stopped.failAppends = false;
            writer.read(AuditLedger::checkpoint).join(); // waits for the fill
            assertThat(writer.backlog()).isZero();
        } finally {
            writer.close();
        }
    }

    @Test
    void append_filledNormally_readsSeeEveryEventAndReopeningReplaysNothingTwice() {
        List<String> first = appendEach(JournaledLedger.open(sqlite(), base, true), 10);
        List<String> second = appendEach(JournaledLedger.open(sqlite(), base, true), 5);
        try (AuditLedger reopened = JournaledLedger.open(sqlite(), base, true)) {
            assertThat(eventIds(reopened))
                    .containsExactlyElementsOf(
                            Stream.concat(first.stream(), second.stream()).toList());
            assertThat(ChainVerifier.verify(reopened).problems()).isEmpty();
        }
    }

    @Test
    void recover_tornLastRecord_replaysTheEventsBeforeIt() throws IOException {
        StoppableLedger stopped = sqlite();
        stopped.failAppends = true;
        List<String> acknowledged = appendEach(JournaledLedger.open(stopped, base, true), 6);
        tearLastRecord(AuditJournal.segmentFile(base, 0));

        try (AuditLedger reopened = JournaledLedger.open(sqlite(), base, true)) {
            assertThat(eventIds(reopened)).containsExactlyElementsOf(acknowledged.subList(0, 5));
            assertThat(ChainVerifier.verify(reopened).problems()).isEmpty();
            assertThat(appendEach(reopened, 1)).hasSize(1);
        }
    }

    /** Flips a byte in the last record's body, as a write cut short by a power loss would leave it. */
    private static void tearLastRecord(Path segment) throws IOException {
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer all = ByteBuffer.allocate((int) c.size());
            c.read(all, 0);
            int at = 0;
            int last = 0;
            while (all.getInt(at) > 0) {
                last = at;
                at += 8 + all.getInt(at);
            }
            int victim = last + 8 + 20;
            c.write(ByteBuffer.wrap(new byte[] {(byte) ~all.get(victim)}), victim);
        }
    }

    @Test
    void recover_journalNotContinuingTheLedger_keptAsideAndNotReplayed() throws IOException {
        StoppableLedger stopped = sqlite();
        stopped.failAppends = true;
        appendEach(JournaledLedger.open(stopped, base, true), 3);
        Path otherStore = TestGateways.freshDirectory(); // a ledger that never had those events

        AuditLedger elsewhere = new StoppableLedger(AuditStores.sqlite(otherStore, REGION, false));
        elsewhere.append(List.of(new ChainedEntry(
                1,
                AuditLedgerContract.event("Converse", Instant.now(), false),
                HashChain.GENESIS,
                "f".repeat(64)))); // its own chain: sequence 1 with another hash
        try (AuditLedger reopened = JournaledLedger.open(elsewhere, base, true)) {
            assertThat(eventIds(reopened)).hasSize(1);
            try (Stream<Path> files = Files.list(directory.resolve("audit"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith(REGION + ".journal-0.orphaned-"));
            }
        }
    }

    /** {@code count} new events chained after {@code head}. */
    static List<ChainedEntry> chain(AuditLedger.Head head, int count) {
        List<ChainedEntry> chain = new ArrayList<>();
        String prev = head.hash();
        for (long seq = head.sequence() + 1; seq <= head.sequence() + count; seq++) {
            AuditEntry e = AuditLedgerContract.event("Converse", Instant.now(), false);
            String hash = HashChain.link(prev, seq, e.recordJson());
            chain.add(new ChainedEntry(seq, e, prev, hash));
            prev = hash;
        }
        return chain;
    }

    @Test
    void append_writerInterrupted_failsThatAppendOnly_andTheJournalGoesOn() {
        List<ChainedEntry> chain;
        try (AuditLedger journaled = JournaledLedger.open(sqlite(), base, false)) {
            chain = chain(journaled.head(), 3);
            journaled.append(chain.subList(0, 1));
            Thread.currentThread().interrupt(); // closes a file channel it does I/O on
            try {
                assertThatThrownBy(() -> journaled.append(chain.subList(1, 2))).isInstanceOf(StoreException.class);
            } finally {
                Thread.interrupted();
            }
            journaled.append(chain.subList(1, 2));
            journaled.append(chain.subList(2, 3));
        }
        try (AuditLedger reopened = JournaledLedger.open(sqlite(), base, false)) {
            assertThat(eventIds(reopened))
                    .containsExactlyElementsOf(
                            chain.stream().map(e -> e.entry().eventId()).toList());
            assertThat(ChainVerifier.verify(reopened).problems()).isEmpty();
        }
    }

    @Test
    void recover_orphansAndAFailingReplay_keptAsideOnceThenReplayedWhenTheLedgerRecovers() throws Exception {
        List<ChainedEntry> chain = chain(new AuditLedger.Head(0, HashChain.GENESIS), 2);
        ChainedEntry stranger = new ChainedEntry(
                5, AuditLedgerContract.event("Converse", Instant.now(), false), "e".repeat(64), "f".repeat(64));
        Files.createDirectories(base.getParent());
        try (AuditJournal journal = new AuditJournal(base, true, 1, 1 << 20)) {
            journal.write(chain, 0); // segment 0
            journal.write(List.of(stranger), Long.MAX_VALUE); // past the switch size: segment 1
        }
        StoppableLedger ledger = sqlite();
        ledger.failAppends = true;
        try (AuditLedger reopened = JournaledLedger.open(ledger, base, true)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(reopened::head).isInstanceOf(StoreException.class);
                Thread.sleep(5); // a second copy would carry another time in its name
            }
            try (Stream<Path> files = Files.list(directory.resolve("audit"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".orphaned-")))
                        .as("one copy of each segment")
                        .hasSize(2);
            }
            ledger.failAppends = false;
            assertThat(reopened.head().sequence()).isEqualTo(2);
            assertThat(eventIds(reopened))
                    .containsExactly(
                            chain.get(0).entry().eventId(), chain.get(1).entry().eventId());
        }
    }

    @Test
    void append_ledgerFailingAndJournalFull_refusedNotLost() {
        StoppableLedger stopped = sqlite();
        stopped.failAppends = true;
        AuditWriter writer = new AuditWriter(REGION, JournaledLedger.open(stopped, base, true, 4096, 8192));
        try {
            List<String> acknowledged = new ArrayList<>();
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 100; i++) {
                            acknowledged.add(writer.append(AuditLedgerContract.event("Converse", Instant.now(), false))
                                    .join()
                                    .entry()
                                    .eventId());
                        }
                    })
                    .isInstanceOf(CompletionException.class)
                    .hasRootCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("is full");
            writer.close();
            try (AuditLedger reopened = JournaledLedger.open(sqlite(), base, true, 4096, 8192)) {
                assertThat(eventIds(reopened)).containsExactlyElementsOf(acknowledged);
            }
        } finally {
            writer.close();
        }
    }

    @Test
    void embeddedStore_isJournaled_andWithSyncOsItsAppendsAreQuickOnceRecovered() {
        try (AuditLedger disk = AuditStores.open(StoreSettings.embedded(), directory, REGION)) {
            assertThat(disk).isInstanceOf(JournaledLedger.class);
            disk.head();
            assertThat(disk.quickAppends()).as("each append waits for the disk").isFalse();
        }
        try (AuditLedger os = AuditStores.open(StoreSettings.embedded().withAuditSync(false), directory, REGION)) {
            assertThat(os).isInstanceOf(JournaledLedger.class);
            assertThat(os.quickAppends())
                    .as("the first use may replay the journal")
                    .isFalse();
            os.head();
            assertThat(os.quickAppends()).isTrue();
        }
    }

    @Test
    void open_journalHeldByAnotherLedger_readsTheLedgerButCannotChangeIt() {
        AuditLedger gateway = JournaledLedger.open(sqlite(), base, true);
        AuditWriter writer = new AuditWriter(REGION, gateway);
        try (AuditLedger auditor = JournaledLedger.open(sqlite(), base, true)) {
            assertThat(gateway).isInstanceOf(JournaledLedger.class);
            assertThat(auditor).isNotInstanceOf(JournaledLedger.class);
            String id = writer.append(AuditLedgerContract.event("Converse", Instant.now(), false))
                    .join()
                    .entry()
                    .eventId();
            assertThat(writer.read(JournaledLedgerTest::eventIds).join()).containsExactly(id); // now in SQLite
            assertThat(eventIds(auditor))
                    .as("the auditor reads the SQLite file")
                    .containsExactly(id);
            assertThatThrownBy(() -> auditor.append(List.of()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("another process (a running gateway) holds the journal");
            assertThatThrownBy(() -> auditor.purgeBefore(Instant.now())).isInstanceOf(StoreException.class);
            assertThat(auditor.ping())
                    .as("not writable: a gateway on it refuses invocations")
                    .isFalse();
        } finally {
            writer.close();
        }
        try (AuditLedger next = JournaledLedger.open(sqlite(), base, true)) {
            assertThat(next).as("the lock is released on close").isInstanceOf(JournaledLedger.class);
        }
    }

    /** A ledger whose appends can be made to fail, as a full disk or a locked file would. */
    static final class StoppableLedger extends ForwardingLedger {
        volatile boolean failAppends;

        StoppableLedger(AuditLedger ledger) {
            super(ledger);
        }

        @Override
        public void append(List<ChainedEntry> entries) {
            if (failAppends) {
                throw new StoreException("the test stopped this ledger");
            }
            super.append(entries);
        }
    }
}
