package dev.meridian.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** A ledger that passes every call to another; subclasses change the calls they care about. */
abstract class ForwardingLedger implements AuditLedger {
    private final AuditLedger ledger;

    ForwardingLedger(AuditLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Head head() {
        return ledger.head();
    }

    @Override
    public void append(List<ChainedEntry> entries) {
        ledger.append(entries);
    }

    @Override
    public List<ChainedEntry> lookup(LookupQuery query) {
        return ledger.lookup(query);
    }

    @Override
    public void scan(Consumer<ChainedEntry> sink) {
        ledger.scan(sink);
    }

    @Override
    public void scanBefore(Instant cutoff, Consumer<ChainedEntry> sink) {
        ledger.scanBefore(cutoff, sink);
    }

    @Override
    public Head checkpoint() {
        return ledger.checkpoint();
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return ledger.purgeBefore(cutoff);
    }

    @Override
    public boolean quickAppends() {
        return ledger.quickAppends();
    }

    @Override
    public long backlog() {
        return ledger.backlog();
    }

    @Override
    public boolean ping() {
        return ledger.ping();
    }

    @Override
    public void close() {
        ledger.close();
    }
}
