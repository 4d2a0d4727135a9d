package dev.meridian.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link ApplicationProfilesSuite} on a real PostgreSQL server, a fresh database per test. */
class PostgresApplicationProfilesIT extends ApplicationProfilesSuite {
    static PostgresServer pg;
    static int databases;
    String yaml;

    @BeforeAll
    static void start() {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        String name = "profiles" + (++databases);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "meridian", null);
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + name);
        }
        yaml = pg.storesYaml().replace("/postgres", "/" + name);
    }

    @Override
    String storesYaml() {
        return yaml;
    }
}
