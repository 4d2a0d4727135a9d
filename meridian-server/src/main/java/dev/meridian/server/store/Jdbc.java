package dev.meridian.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The JDBC steps every store shares, for SQLite and PostgreSQL alike: opening a configured connection, migrating
 * a schema with Flyway, and running work in one transaction.
 */
public final class Jdbc {
    private Jdbc() {}

    /** Work against a connection that may fail with {@link SQLException}. */
    @FunctionalInterface
    public interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** Opens a connection and runs {@code setup} on it (pragmas, {@code SET search_path}, ...). */
    public static Connection open(String url, String user, String password, String... setup) throws SQLException {
        Connection c = user == null && password == null
                ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, user, password);
        try (Statement s = c.createStatement()) {
            for (String statement : setup) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Migrates the schema {@code flyway} points at with the scripts under {@code classpath:<location>}.
     *
     * @throws StoreException starting with {@code failure} when the database is unreachable or a script fails
     */
    public static void migrate(FluentConfiguration flyway, String location, String failure) {
        try {
            flyway.locations("classpath:" + location).load().migrate();
        } catch (FlywayException e) {
            throw new StoreException(failure + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction on {@code c}: all of it is committed, or none. */
    public static <T> T inTransaction(Connection c, SqlCall<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
