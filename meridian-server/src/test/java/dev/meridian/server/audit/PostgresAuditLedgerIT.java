package dev.meridian.server.audit;

import dev.meridian.server.PostgresServer;
import dev.meridian.server.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link AuditLedgerContract} on a real PostgreSQL server (Debian's package, started here). */
class PostgresAuditLedgerIT extends AuditLedgerContract {
    static PostgresServer pg;
    static int database;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    AuditLedger openLedger() {
        // one database per test: each starts with an empty ledger
        String name = "ledger" + (++database);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "meridian", null)) {
            execute(c, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        url = pg.jdbcUrl().replace("/postgres", "/" + name);
        return AuditStores.open(
                new StoreSettings(StoreSettings.Kind.POSTGRESQL, url, "meridian", null, Map.of()), null, REGION);
    }

    @Override
    void tamper(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "meridian", null)) {
            execute(c, "SET search_path TO " + AuditStores.schemaFor(REGION));
            execute(c, sql);
        }
    }
}
