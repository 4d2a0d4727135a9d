package dev.meridian.server.audit;

import dev.meridian.server.store.Jdbc;
import dev.meridian.server.store.ReopeningConnection;
import dev.meridian.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit ledger on JDBC, for both the embedded SQLite store and PostgreSQL (the SQL is common to both; the
 * schema is migrated by Flyway per dialect, see {@link AuditStores}). A broken connection is reopened on the next
 * call, so a restarted database is picked up without restarting the gateway.
 */
final class JdbcAuditLedger implements AuditLedger {
    private static final String COLUMNS = "sequence, event_time_ms, event_id, event_name, event_source, username,"
            + " access_key_id, read_only, resource_type, resource_name, record_json, prev_hash, hash";

    private static final String INSERT =
            "INSERT INTO audit_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final ReopeningConnection connection;
    private PreparedStatement insert;

    /** @param connector opens a fresh connection, configured for durability */
    JdbcAuditLedger(ReopeningConnection.Connector connector) {
        this.connection = new ReopeningConnection(connector);
    }

    private <T> T call(SqlCall<T> work) {
        try {
            return work.run(connection.get());
        } catch (SQLException e) {
            connection.drop();
            throw new StoreException("audit store: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public Head head() {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Head(rs.getLong(1), rs.getString(2));
                }
            }
            return readCheckpoint(c);
        });
    }

    @Override
    public Head checkpoint() {
        return call(JdbcAuditLedger::readCheckpoint);
    }

    private static Head readCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_sequence, last_hash FROM audit_checkpoint");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, HashChain.GENESIS);
        }
    }

    @Override
    public void append(List<ChainedEntry> entries) {
        call(c -> Jdbc.inTransaction(c, () -> {
            PreparedStatement ps = insert(c);
            ps.clearBatch(); // nothing left over from a batch that failed before reaching the store
            for (ChainedEntry e : entries) {
                AuditEntry a = e.entry();
                ps.setLong(1, e.sequence());
                ps.setLong(2, a.eventTime().toEpochMilli());
                ps.setString(3, a.eventId());
                ps.setString(4, a.eventName());
                ps.setString(5, a.eventSource());
                ps.setString(6, a.username());
                ps.setString(7, a.accessKeyId());
                ps.setInt(8, a.readOnly() ? 1 : 0);
                ps.setString(9, a.resourceType());
                ps.setString(10, a.resourceName());
                ps.setString(11, a.recordJson());
                ps.setString(12, e.prevHash());
                ps.setString(13, e.hash());
                ps.addBatch();
            }
            ps.executeBatch();
            return null;
        }));
    }

    /**
     * The insert, prepared once per connection: every commit used to prepare it again (1.3 % of the saturated
     * gateway's CPU in a profile). A reopened connection gets a new one; the old one closed with its connection.
     */
    private PreparedStatement insert(Connection c) throws SQLException {
        if (insert == null || insert.isClosed() || insert.getConnection() != c) {
            insert = c.prepareStatement(INSERT);
        }
        return insert;
    }

    @Override
    public List<ChainedEntry> lookup(LookupQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM audit_event WHERE event_time_ms >= ? AND event_time_ms <= ? AND sequence < ?");
        if (q.attribute() != null) {
            sql.append(" AND ").append(q.attribute().key().column()).append(" = ?");
        }
        sql.append(" ORDER BY sequence DESC LIMIT ?");
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setLong(i++, q.start().toEpochMilli());
                ps.setLong(i++, q.end().toEpochMilli());
                ps.setLong(i++, q.beforeSequence());
                if (q.attribute() != null) {
                    if (q.attribute().key() == LookupQuery.Key.ReadOnly) {
                        ps.setInt(i++, Boolean.parseBoolean(q.attribute().value()) ? 1 : 0);
                    } else {
                        ps.setString(i++, q.attribute().value());
                    }
                }
                ps.setInt(i, q.limit());
                List<ChainedEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void scan(Consumer<ChainedEntry> sink) {
        select(null, sink);
    }

    @Override
    public void scanBefore(Instant cutoff, Consumer<ChainedEntry> sink) {
        select(cutoff, sink);
    }

    /** Events in sequence order, all of them or those older than {@code cutoff}, streamed to {@code sink}. */
    private void select(Instant cutoff, Consumer<ChainedEntry> sink) {
        String where = cutoff == null ? "" : " WHERE event_time_ms < ?";
        call(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event" + where + " ORDER BY sequence")) {
                if (cutoff != null) {
                    ps.setLong(1, cutoff.toEpochMilli());
                }
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return call(c -> Jdbc.inTransaction(c, () -> {
            Head last = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, hash FROM audit_event"
                    + " WHERE event_time_ms < ? ORDER BY sequence DESC LIMIT 1")) {
                ps.setLong(1, cutoff.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        last = new Head(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            if (last == null) {
                return 0;
            }
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_event WHERE sequence <= ?")) {
                ps.setLong(1, last.sequence());
                removed = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_checkpoint")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_checkpoint (id, last_sequence, last_hash) VALUES (1, ?, ?)")) {
                ps.setLong(1, last.sequence());
                ps.setString(2, last.hash());
                ps.executeUpdate();
            }
            return removed;
        }));
    }

    @Override
    public boolean ping() {
        try {
            return call(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1");
                        ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            });
        } catch (StoreException e) {
            return false;
        }
    }

    private static ChainedEntry row(ResultSet rs) throws SQLException {
        AuditEntry entry = new AuditEntry(
                Instant.ofEpochMilli(rs.getLong("event_time_ms")),
                rs.getString("event_id"),
                rs.getString("event_name"),
                rs.getString("event_source"),
                rs.getString("username"),
                rs.getString("access_key_id"),
                rs.getInt("read_only") != 0,
                rs.getString("resource_type"),
                rs.getString("resource_name"),
                rs.getString("record_json"));
        return new ChainedEntry(rs.getLong("sequence"), entry, rs.getString("prev_hash"), rs.getString("hash"));
    }

    @Override
    public void close() {
        connection.close();
    }
}
