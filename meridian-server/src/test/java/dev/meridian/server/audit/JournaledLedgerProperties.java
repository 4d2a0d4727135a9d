package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.TestGateways;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the batch sizes, however often the ledger catches up (so segments fill, switch and are reused) and
 * wherever the ledger stops taking events before the gateway dies, reopening the store yields exactly the events
 * that {@link JournaledLedger#append} acknowledged, in order, in an intact chain.
 */
class JournaledLedgerProperties {
    static final String REGION = AuditLedgerContract.REGION;

    @Property(tries = 30)
    void reopened_holdsExactlyTheAcknowledgedEvents(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 8) Integer> batchSizes,
            @ForAll @Size(40) List<Boolean> catchUpAfter,
            @ForAll @IntRange(max = 45) int ledgerStopsAt) {
        Path directory = TestGateways.freshDirectory();
        Path base = AuditStores.journalBase(directory, REGION);
        JournaledLedgerTest.StoppableLedger sqlite =
                new JournaledLedgerTest.StoppableLedger(AuditStores.sqlite(directory, REGION, false));
        // small segments: about four events before a switch, so batches cross segments and reuse them
        AuditLedger journaled = JournaledLedger.open(sqlite, base, true, 4096, 512 * 1024);
        List<String> acknowledged = new ArrayList<>();
        try {
            for (int b = 0; b < batchSizes.size(); b++) {
                if (b == ledgerStopsAt) {
                    sqlite.failAppends = true;
                }
                List<ChainedEntry> batch = JournaledLedgerTest.chain(journaled.head(), batchSizes.get(b));
                journaled.append(batch);
                batch.forEach(e -> acknowledged.add(e.entry().eventId()));
                if (catchUpAfter.get(b) && !sqlite.failAppends) {
                    journaled.checkpoint(); // waits until the ledger has everything: the other segment is free
                }
            }
        } finally {
            journaled.close(); // with the ledger stopped, what it lacks stays in the journal only
        }
        try (AuditLedger reopened = JournaledLedger.open(
                new JournaledLedgerTest.StoppableLedger(AuditStores.sqlite(directory, REGION, false)),
                base,
                true,
                4096,
                512 * 1024)) {
            assertThat(JournaledLedgerTest.eventIds(reopened)).containsExactlyElementsOf(acknowledged);
            assertThat(ChainVerifier.verify(reopened).problems()).isEmpty();
        }
    }
}
