package dev.meridian.server.audit;

import dev.meridian.server.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The ledger as a second process sees it while a gateway holds the journal: readable (lagging the gateway by
 * the fill interval), never written, since its sequence numbers would collide with the events the gateway has
 * journaled and not yet filled.
 */
final class ReadOnlyLedger extends ForwardingLedger {
    private final Path base;

    ReadOnlyLedger(AuditLedger ledger, Path base) {
        super(ledger);
        this.base = base;
    }

    @Override
    public void append(List<ChainedEntry> entries) {
        throw refused();
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        throw refused();
    }

    /**
     * False: the writer's health check reads this as "cannot take events", so a gateway on a read-only view
     * refuses invocations before processing them rather than withholding each answer afterwards.
     */
    @Override
    public boolean ping() {
        return false;
    }

    private StoreException refused() {
        return new StoreException("audit store: another process (a running gateway) holds the journal " + base
                + "; this one can read the trail but not change it");
    }
}
