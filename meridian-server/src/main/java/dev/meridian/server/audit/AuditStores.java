package dev.meridian.server.audit;

import dev.meridian.server.store.Jdbc;
import dev.meridian.server.store.ReopeningConnection;
import dev.meridian.server.store.StoreException;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.flywaydb.core.Flyway;

/**
 * Opens a source region's ledger. Embedded: its own SQLite file, {@code audit/<region>.db}, in WAL mode with
 * {@code synchronous=FULL}, behind a journal ({@link JournaledLedger}: an event is on disk when its append returns,
 * the SQLite file takes it in a later, larger transaction); with {@code audit.sync: os}, {@code synchronous=NORMAL}
 * and a journal that is written without waiting for the disk. PostgreSQL: schema {@code audit_<region>} in the
 * region's database, with the server's default synchronous commit. Schemas are migrated by Flyway the first time
 * the store answers, so a gateway can start while its database is still coming up (and refuses invocations until
 * then).
 */
public final class AuditStores {
    private AuditStores() {}

    /** The ledger of {@code region}'s records under {@code settings}; connects lazily. */
    public static AuditLedger open(StoreSettings settings, Path dataDirectory, String region) {
        return switch (settings.kind()) {
            case EMBEDDED -> embedded(dataDirectory, region, settings.auditSync());
            case POSTGRESQL -> postgres(settings, region);
        };
    }

    /** The SQLite file holding {@code region}'s records under {@code dataDirectory}. */
    public static Path embeddedFile(Path dataDirectory, String region) {
        return dataDirectory.resolve("audit").resolve(region + ".db");
    }

    private static AuditLedger embedded(Path dataDirectory, String region, boolean sync) {
        return JournaledLedger.open(sqlite(dataDirectory, region, sync), journalBase(dataDirectory, region), sync);
    }

    /** {@code region}'s SQLite file as a ledger of its own, without the journal in front of it. */
    static JdbcAuditLedger sqlite(Path dataDirectory, String region, boolean sync) {
        Path file = embeddedFile(dataDirectory, region);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        return new JdbcAuditLedger(migratingOnce(
                () -> {
                    try {
                        Files.createDirectories(file.getParent());
                    } catch (java.io.IOException e) {
                        throw new StoreException(
                                "audit store: cannot create " + file.getParent() + ": " + e.getMessage(), e);
                    }
                    Jdbc.migrate(Flyway.configure().dataSource(url, null, null), "db/audit/sqlite", MIGRATION_FAILED);
                },
                () -> Jdbc.open(
                        url,
                        null,
                        null,
                        "PRAGMA journal_mode=WAL",
                        sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                        "PRAGMA busy_timeout=5000")));
    }

    /** Where {@code region}'s audit journal lives: {@code audit/<region>.journal-0} and {@code -1}. */
    static Path journalBase(Path dataDirectory, String region) {
        return dataDirectory.resolve("audit").resolve(region + ".journal");
    }

    /** {@code audit_eu_central_1} for {@code eu-central-1}. */
    public static String schemaFor(String region) {
        return "audit_" + region.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    private static AuditLedger postgres(StoreSettings settings, String region) {
        String url = settings.urlFor(region);
        String schema = schemaFor(region);
        String[] setup = settings.auditSync()
                ? new String[] {"SET search_path TO " + schema}
                : new String[] {"SET search_path TO " + schema, "SET synchronous_commit TO off"};
        return new JdbcAuditLedger(migratingOnce(
                () -> Jdbc.migrate(
                        Flyway.configure()
                                .dataSource(url, settings.user(), settings.password())
                                .schemas(schema)
                                .defaultSchema(schema)
                                .connectRetries(0),
                        "db/audit/postgresql",
                        MIGRATION_FAILED),
                () -> Jdbc.open(url, settings.user(), settings.password(), setup)));
    }

    private static final String MIGRATION_FAILED = "audit store: migrating the audit schema failed";

    /**
     * Connects with {@code connect}, running {@code migrate} before the first connection that succeeds to
     * migrate (a failed migration is retried on the next call, so a store that comes up later is picked up).
     */
    private static ReopeningConnection.Connector migratingOnce(
            Runnable migrate, ReopeningConnection.Connector connect) {
        boolean[] migrated = {false};
        return () -> {
            if (!migrated[0]) {
                migrate.run();
                migrated[0] = true;
            }
            return connect.open();
        };
    }
}
