package dev.meridian.server.audit;

import dev.meridian.server.TestGateways;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** {@link AuditLedgerContract} on the embedded SQLite store, behind its journal. */
class EmbeddedAuditLedgerTest extends AuditLedgerContract {
    private Path directory;

    @Override
    AuditLedger openLedger() {
        directory = TestGateways.freshDirectory();
        return AuditStores.open(StoreSettings.embedded(), directory, REGION);
    }

    @Override
    void tamper(String sql) throws SQLException {
        writer.read(AuditLedger::checkpoint).join(); // a read waits until the SQLite file has the journaled events
        try (Connection c = DriverManager.getConnection(
                "jdbc:sqlite:" + AuditStores.embeddedFile(directory, REGION).toAbsolutePath())) {
            execute(c, sql);
        }
    }
}
