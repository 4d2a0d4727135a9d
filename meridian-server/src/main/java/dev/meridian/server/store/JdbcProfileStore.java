package dev.meridian.server.store;

import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.ProfileType;
import dev.meridian.server.invocationlog.LoggingConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.flywaydb.core.Flyway;

/**
 * Control-plane state on JDBC (application profiles and invocation logging configurations): the embedded default (one SQLite file, {@code meridian.db}, in WAL mode with
 * {@code synchronous=FULL}) or PostgreSQL (schema {@code meridian}); the SQL is common to both and each schema is
 * migrated by Flyway ({@code db/migration/<dialect>}). All JDBC runs on one named thread, which also serialises
 * SQLite's single writer; a broken connection is reopened on the next call.
 */
public final class JdbcProfileStore implements ProfileStore, LoggingConfigStore {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meridian-store");
        t.setDaemon(true);
        return t;
    });
    private final ReopeningConnection connection;

    private JdbcProfileStore(ReopeningConnection.Connector connector) {
        this.connection = new ReopeningConnection(connector);
    }

    /** Opens the store {@code settings} name, creating and migrating its schema if needed. */
    public static JdbcProfileStore open(StoreSettings settings, Path dataDirectory) {
        return switch (settings.kind()) {
            case EMBEDDED -> embedded(dataDirectory);
            case POSTGRESQL -> postgres(settings);
        };
    }

    private static JdbcProfileStore embedded(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the data directory " + directory + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + directory.resolve("meridian.db").toAbsolutePath();
        Jdbc.migrate(
                Flyway.configure().dataSource(url, null, null),
                "db/migration/sqlite",
                "cannot open the profile store at " + directory);
        return new JdbcProfileStore(() -> Jdbc.open(
                url, null, null, "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL"));
    }

    private static JdbcProfileStore postgres(StoreSettings settings) {
        Jdbc.migrate(
                Flyway.configure()
                        .dataSource(settings.url(), settings.user(), settings.password())
                        .schemas(SCHEMA)
                        .defaultSchema(SCHEMA),
                "db/migration/postgresql",
                "cannot open the profile store at " + settings.url());
        return new JdbcProfileStore(
                () -> Jdbc.open(settings.url(), settings.user(), settings.password(), "SET search_path TO " + SCHEMA));
    }

    private static final String SCHEMA = "meridian";

    private <T> CompletableFuture<T> run(Jdbc.SqlCall<T> call) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return call.run();
                    } catch (SQLException e) {
                        connection.drop();
                        throw new StoreException(e.getMessage(), e);
                    }
                },
                executor);
    }

    /** Runs {@code work} in one transaction on the store thread: all of it is durable, or none. */
    private CompletableFuture<Void> inTransaction(SqlWork work) {
        return run(() -> Jdbc.inTransaction(connection.get(), () -> {
            work.run();
            return null;
        }));
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    @Override
    public CompletableFuture<List<Stored>> loadAll() {
        return run(() -> query("SELECT * FROM application_profile ORDER BY created_at, id", ps -> {}));
    }

    @Override
    public CompletableFuture<Optional<Stored>> findByToken(String region, String clientToken) {
        return run(() -> query("SELECT * FROM application_profile WHERE home_region = ? AND client_token = ?", ps -> {
                    ps.setString(1, region);
                    ps.setString(2, clientToken);
                })
                .stream()
                .findFirst());
    }

    @Override
    public CompletableFuture<Void> insert(Stored stored) {
        return inTransaction(() -> {
            InferenceProfile p = stored.profile();
            try (PreparedStatement ps = connection
                    .get()
                    .prepareStatement("INSERT INTO application_profile (id, home_region,"
                            + " name, description, model_id, copied_from, regions, created_at, updated_at, client_token,"
                            + " request_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, p.id());
                ps.setString(2, p.homeRegion());
                ps.setString(3, p.name());
                ps.setString(4, p.description());
                ps.setString(5, p.modelId());
                ps.setString(6, p.copiedFrom());
                ps.setString(7, String.join(",", p.regions()));
                ps.setString(8, p.createdAt().toString());
                ps.setString(9, p.createdAt().toString());
                ps.setString(10, stored.clientToken());
                ps.setString(11, stored.requestDigest());
                ps.executeUpdate();
            }
            writeTags(p);
        });
    }

    @Override
    public CompletableFuture<Void> updateTags(InferenceProfile profile) {
        return inTransaction(() -> writeTags(profile));
    }

    private void writeTags(InferenceProfile p) throws SQLException {
        try (PreparedStatement del =
                connection.get().prepareStatement("DELETE FROM application_profile_tag WHERE profile_id = ?")) {
            del.setString(1, p.id());
            del.executeUpdate();
        }
        try (PreparedStatement ins = connection
                .get()
                .prepareStatement(
                        "INSERT INTO application_profile_tag (profile_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> tag : p.tags().entrySet()) {
                ins.setString(1, p.id());
                ins.setString(2, tag.getKey());
                ins.setString(3, tag.getValue());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    @Override
    public CompletableFuture<Void> delete(String id) {
        return run(() -> {
            try (PreparedStatement ps =
                    connection.get().prepareStatement("DELETE FROM application_profile WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Map<String, String>> loadLoggingConfigs() {
        return run(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = connection
                            .get()
                            .prepareStatement("SELECT region, config_json FROM invocation_logging_config");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> putLoggingConfig(String region, String json) {
        return inTransaction(() -> {
            deleteConfig(region);
            try (PreparedStatement ps = connection
                    .get()
                    .prepareStatement("INSERT INTO invocation_logging_config (region, config_json) VALUES (?, ?)")) {
                ps.setString(1, region);
                ps.setString(2, json);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public CompletableFuture<Void> deleteLoggingConfig(String region) {
        return inTransaction(() -> deleteConfig(region));
    }

    private void deleteConfig(String region) throws SQLException {
        try (PreparedStatement ps =
                connection.get().prepareStatement("DELETE FROM invocation_logging_config WHERE region = ?")) {
            ps.setString(1, region);
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Stored> query(String sql, Binder binder) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    InferenceProfile p = new InferenceProfile(
                            id,
                            rs.getString("name"),
                            rs.getString("description"),
                            ProfileType.APPLICATION,
                            rs.getString("model_id"),
                            null,
                            new LinkedHashSet<>(
                                    Arrays.asList(rs.getString("regions").split(","))),
                            rs.getString("copied_from"),
                            rs.getString("home_region"),
                            Instant.parse(rs.getString("created_at")),
                            tags(id));
                    out.add(new Stored(p, rs.getString("client_token"), rs.getString("request_digest")));
                }
            }
        }
        return out;
    }

    private Map<String, String> tags(String id) throws SQLException {
        Map<String, String> tags = new LinkedHashMap<>();
        try (PreparedStatement ps = connection
                .get()
                .prepareStatement(
                        "SELECT tag_key, tag_value FROM application_profile_tag WHERE profile_id = ? ORDER BY tag_key")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return tags;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
