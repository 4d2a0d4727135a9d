package dev.meridian.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One JDBC connection, opened on first use and opened again after a failure dropped it, so a database that was
 * restarted is picked up on the next call without restarting the gateway. Not thread-safe: each store uses it from
 * its one store thread.
 */
public final class ReopeningConnection implements AutoCloseable {
    /** Opens a fresh, configured connection. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private Connection connection;

    public ReopeningConnection(Connector connector) {
        this.connector = connector;
    }

    /** The open connection, opening one if there is none or the last one was closed. */
    public Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connector.open();
        }
        return connection;
    }

    /** Drops the connection after a failure (closing it if it still can be); the next {@link #get} reopens. */
    public void drop() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the next get() opens a new one either way
        }
        connection = null;
    }

    @Override
    public void close() {
        drop();
    }
}
