package dev.meridian.server.audit;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The audit trails of every source region this gateway serves, each in its own store and hash chain, so a
 * region's records are kept (and can be handed over) separately from every other region's.
 */
public final class AuditTrail implements AutoCloseable {
    private final StoreSettings settings;
    private final Path dataDirectory;
    private final Map<String, AuditWriter> writers = new ConcurrentHashMap<>();

    public AuditTrail(StoreSettings settings, Path dataDirectory) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
    }

    private AuditWriter writer(String region) {
        return writers.computeIfAbsent(region, r -> new AuditWriter(r, AuditStores.open(settings, dataDirectory, r)));
    }

    /** Stores {@code entry} in {@code region}'s trail; completes once it is durable. */
    public CompletableFuture<ChainedEntry> record(String region, AuditEntry entry) {
        return writer(region).append(entry);
    }

    /**
     * Fails closed: refuses work whose record could not be kept right now.
     *
     * @throws GatewayException {@link ErrorKind#SERVICE_UNAVAILABLE} while {@code region}'s store is failing
     */
    public void requireWritable(String region) {
        if (!writer(region).writable()) {
            throw new GatewayException(
                    ErrorKind.SERVICE_UNAVAILABLE,
                    "The audit store for " + region + " is unavailable; requests are refused until every request"
                            + " can be recorded. Retry later.");
        }
    }

    /** Events of {@code region} matching {@code query}, newest first. */
    public CompletableFuture<List<ChainedEntry>> lookup(String region, LookupQuery query) {
        return writer(region).read(ledger -> ledger.lookup(query));
    }

    /** The source regions whose trails this gateway has opened. */
    public java.util.Set<String> regions() {
        return java.util.Set.copyOf(writers.keySet());
    }

    /** Health of {@code region}'s trail, for metrics. */
    public record Health(long commits, long events, long failures, boolean up, long backlog) {}

    /** {@code region}'s commit counters and store health. */
    public Health health(String region) {
        AuditWriter w = writer(region);
        return new Health(w.commits(), w.committedEvents(), w.failures(), w.healthy(), w.backlog());
    }

    /** Runs {@code work} against {@code region}'s ledger on its own thread. */
    public <T> CompletableFuture<T> read(String region, Function<AuditLedger, T> work) {
        return writer(region).read(work);
    }

    /**
     * Applies the retention period to every trail opened so far: events older than {@code retention} are
     * exported as CloudTrail log files under {@code archive}, then purged (the checkpoint keeps the chain
     * verifiable).
     */
    public void applyRetention(Duration retention, Path archive, String accountId) {
        Instant cutoff = Instant.now().minus(retention);
        writers.forEach((region, writer) -> writer.read(ledger -> {
                    TrailExport.export(ledger, accountId, region, cutoff, archive);
                    return ledger.purgeBefore(cutoff);
                })
                .join());
    }

    @Override
    public void close() {
        writers.values().forEach(AuditWriter::close);
    }
}
