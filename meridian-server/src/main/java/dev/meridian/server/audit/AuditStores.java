package dev.meridian.server.audit;

import dev.meridian.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;

/**
 * Opens a source region's ledger. Embedded: its own SQLite file, {@code audit/<region>.db}, in WAL mode with
 * {@code synchronous=FULL} (a commit is on disk when it returns; {@code NORMAL} with {@code audit.sync: os}). PostgreSQL: schema {@code audit_<region>} in
 * the region's database, with the server's default synchronous commit. Schemas are migrated by Flyway the first
 * time the store answers, so a gateway can start while its database is still coming up (and refuses
 * invocations until then).
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
        Path file = embeddedFile(dataDirectory, region);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        boolean[] migrated = {false};
        return new JdbcAuditLedger(() -> {
            if (!migrated[0]) {
                try {
                    Files.createDirectories(file.getParent());
                } catch (java.io.IOException e) {
                    throw new SQLException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
                }
                migrate(Flyway.configure().dataSource(url, null, null), "sqlite");
                migrated[0] = true;
            }
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute(sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            return c;
        });
    }

    /** {@code audit_eu_central_1} for {@code eu-central-1}. */
    public static String schemaFor(String region) {
        return "audit_" + region.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    private static AuditLedger postgres(StoreSettings settings, String region) {
        String url = settings.urlFor(region);
        String schema = schemaFor(region);
        boolean[] migrated = {false};
        return new JdbcAuditLedger(() -> {
            if (!migrated[0]) {
                migrate(
                        Flyway.configure()
                                .dataSource(url, settings.user(), settings.password())
                                .schemas(schema)
                                .defaultSchema(schema)
                                .connectRetries(0),
                        "postgresql");
                migrated[0] = true;
            }
            Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema);
                if (!settings.auditSync()) {
                    s.execute("SET synchronous_commit TO off");
                }
            }
            return c;
        });
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration flyway, String dialect)
            throws SQLException {
        try {
            flyway.locations("classpath:db/audit/" + dialect).load().migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new SQLException("migrating the audit schema failed: " + e.getMessage(), e);
        }
    }
}
