package dev.meridian.server.config;

import static dev.meridian.server.config.YamlNodes.duration;
import static dev.meridian.server.config.YamlNodes.integer;
import static dev.meridian.server.config.YamlNodes.number;
import static dev.meridian.server.config.YamlNodes.object;
import static dev.meridian.server.config.YamlNodes.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.route.RetryBudget;
import dev.meridian.provider.openai.UpstreamProtocol;
import dev.meridian.sim.ServingProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads Meridian's YAML configuration: the built-in defaults (loopback, simulated regions, the default catalog)
 * extended by an optional user file. See {@code docs/configuration.md} for every key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = KnownKeys.yamlMapper();
    private static final String DEFAULT_CATALOG = "/meridian/default-catalog.yaml";

    private ConfigLoader() {}

    /** The embedded default: loopback on port 8080, home region eu-central-1, simulated regions. */
    public static MeridianConfig defaults() {
        return parse(null, "defaults");
    }

    /** The defaults extended by the file at {@code path}. */
    public static MeridianConfig load(Path path) {
        try {
            return parse(YAML.readTree(Files.readString(path)), path.toString());
        } catch (JacksonException e) {
            throw new ConfigException(
                    path + ": not valid YAML at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses a YAML document given as text (for tests and embedding). */
    public static MeridianConfig fromYaml(String yaml) {
        try {
            return parse(YAML.readTree(yaml), "config");
        } catch (JacksonException e) {
            throw new ConfigException("config: not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static MeridianConfig parse(JsonNode root, String path) {
        MeridianConfig config = read(root, path);
        KnownKeys.requireAllRead(root, path);
        return config;
    }

    private static MeridianConfig read(JsonNode root, String path) {
        if (root != null && !root.isObject() && !root.isMissingNode() && !root.isNull()) {
            throw new ConfigException(path + ": expected a YAML mapping at the top level");
        }
        JsonNode server = object(root, "server", path);
        JsonNode catalogNode = root == null ? null : root.get("catalog");
        Catalog catalog = CatalogReader.read(defaultCatalog(), catalogNode, path + ".catalog");
        MeridianConfig.Server settings = new MeridianConfig.Server(
                text(server, "bindAddress", path + ".server", "127.0.0.1"),
                integer(server, "port", path + ".server", 8080, 0, 65535),
                text(server, "homeRegion", path + ".server", "eu-central-1"),
                text(server, "accountId", path + ".server", "111122223333"),
                integer(server, "maxRequestBytes", path + ".server", 25_000_000, 1024, Integer.MAX_VALUE),
                integer(server, "maxConnections", path + ".server", ConnectionLimit.byDefault(), 1, Integer.MAX_VALUE),
                duration(server, "requestBodyTimeout", path + ".server", java.time.Duration.ofSeconds(60)),
                duration(server, "idleTimeout", path + ".server", java.time.Duration.ofSeconds(15)),
                duration(server, "shutdownGracePeriod", path + ".server", java.time.Duration.ofSeconds(30)),
                java.nio.file.Path.of(text(server, "dataDirectory", path + ".server", "data")),
                tls(server.get("tls"), path + ".server.tls"));
        JsonNode routing = object(root, "routing", path);
        RetryBudget budget;
        try {
            budget = new RetryBudget(
                    integer(routing, "maxAttempts", path + ".routing", RetryBudget.DEFAULT.maxAttempts(), 1, 100),
                    duration(routing, "attemptTimeout", path + ".routing", RetryBudget.DEFAULT.attemptTimeout()),
                    duration(routing, "totalTimeout", path + ".routing", RetryBudget.DEFAULT.totalTimeout()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".routing." + e.getMessage());
        }
        return new MeridianConfig(
                settings,
                catalog,
                rttOverrides(catalogNode, path),
                budget,
                simulator(root, path, catalog),
                AuthReader.read(root == null ? null : root.get("auth"), path + ".auth", settings.homeRegion()),
                upstreams(root, path),
                GovernanceReader.read(root, path));
    }

    private static java.util.List<MeridianConfig.Upstream> upstreams(JsonNode root, String path) {
        java.util.List<MeridianConfig.Upstream> out = new java.util.ArrayList<>();
        for (JsonNode n : YamlNodes.list(root, "upstreams", path)) {
            String where = path + ".upstreams[]";
            String region = text(n, "region", where);
            where = where + "(" + region + ")";
            String provider = text(n, "provider", where, "openai-compatible");
            String model = text(n, "model", where, "*");
            switch (provider) {
                case "openai-compatible" -> {
                    boolean hasKey = n.hasNonNull("apiKey") || n.hasNonNull("apiKeyEnv") || n.hasNonNull("apiKeyFile");
                    out.add(new MeridianConfig.Upstream(
                            region,
                            model,
                            provider,
                            url(n, where, true),
                            text(n, "modelName", where),
                            hasKey ? YamlNodes.secret(n, "apiKey", where) : null,
                            text(n, "azureApiVersion", where, null),
                            YamlNodes.bool(n, "sendTopK", where, false),
                            protocol(n, where),
                            null,
                            null,
                            tls(n.get("tls"), where + ".tls")));
                }
                case "bedrock" -> {
                    String accessKeyId = text(n, "accessKeyId", where, null);
                    out.add(new MeridianConfig.Upstream(
                            region,
                            model,
                            provider,
                            url(n, where, false),
                            text(n, "modelName", where, model),
                            null,
                            null,
                            false,
                            UpstreamProtocol.AUTO, // the AWS SDK's client negotiates by itself
                            accessKeyId,
                            accessKeyId == null ? null : YamlNodes.secret(n, "secretAccessKey", where),
                            tls(n.get("tls"), where + ".tls")));
                }
                default ->
                    throw new ConfigException(
                            where + ".provider: " + provider + " (expected: openai-compatible or bedrock)");
            }
        }
        return out;
    }

    private static TlsSettings tls(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        String keyStore = text(n, "keyStoreFile", where, null);
        boolean hasPassword = n.hasNonNull("keyStorePassword")
                || n.hasNonNull("keyStorePasswordEnv")
                || n.hasNonNull("keyStorePasswordFile");
        String ca = text(n, "caFile", where, null);
        TlsSettings tls = new TlsSettings(
                keyStore == null ? null : java.nio.file.Path.of(keyStore),
                hasPassword ? YamlNodes.secret(n, "keyStorePassword", where) : null,
                ca == null ? null : java.nio.file.Path.of(ca));
        tls.keyManagers();
        tls.trustManagers();
        return tls;
    }

    private static UpstreamProtocol protocol(JsonNode n, String where) {
        String name = text(n, "protocol", where, UpstreamProtocol.AUTO.configName());
        return UpstreamProtocol.named(name)
                .orElseThrow(() ->
                        new ConfigException(where + ".protocol: \"" + name + "\" (expected: auto, http1 or http2)"));
    }

    private static java.net.URI url(JsonNode n, String where, boolean required) {
        String url = required ? text(n, "baseUrl", where) : text(n, "baseUrl", where, null);
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url);
            if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(where + ".baseUrl: " + url + " (expected: an http or https URL)");
    }

    private static Map<String, Double> rttOverrides(JsonNode catalogNode, String path) {
        JsonNode overrides = object(catalogNode, "rttOverrides", path + ".catalog");
        Map<String, Double> out = new HashMap<>();
        for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
            String pair = it.next();
            if (!pair.matches("[a-z0-9-]+\\|[a-z0-9-]+")) {
                throw new ConfigException(
                        path + ".catalog.rttOverrides: " + pair + " (expected: \"region-a|region-b\")");
            }
            double ms = number(overrides, pair, path + ".catalog.rttOverrides", -1);
            if (!(ms >= 0)) {
                throw new ConfigException(path + ".catalog.rttOverrides." + pair + ": " + ms + " (expected: >= 0 ms)");
            }
            out.put(pair, ms);
        }
        return out;
    }

    private static MeridianConfig.Simulator simulator(JsonNode root, String path, Catalog catalog) {
        JsonNode sim = object(root, "simulator", path);
        String where = path + ".simulator";
        double timeScale = number(sim, "timeScale", where, 1.0);
        if (!(timeScale >= 0)) {
            throw new ConfigException(where + ".timeScale: " + timeScale + " (expected: >= 0)");
        }
        ServingProfile defaults = serving(object(sim, "defaults", where), where + ".defaults", ServingProfile.DEFAULT);
        Map<String, ServingProfile> regions = new HashMap<>();
        JsonNode perRegion = object(sim, "regions", where);
        for (Iterator<String> it = perRegion.fieldNames(); it.hasNext(); ) {
            String region = it.next();
            if (catalog.region(region).isEmpty()) {
                throw new ConfigException(where + ".regions." + region + ": unknown region (expected one of "
                        + catalog.regionIds() + ")");
            }
            regions.put(region, serving(perRegion.get(region), where + ".regions." + region, defaults));
        }
        return new MeridianConfig.Simulator(timeScale, defaults, regions);
    }

    private static ServingProfile serving(JsonNode n, String path, ServingProfile base) {
        try {
            return new ServingProfile(
                    integer(n, "capacity", path, base.capacity(), 0, 1_000_000),
                    number(n, "ttftMs", path, base.ttftMs()),
                    number(n, "prefillTokensPerSecond", path, base.prefillTokensPerSecond()),
                    number(n, "decodeTokensPerSecond", path, base.decodeTokensPerSecond()),
                    (long) number(n, "tokensPerMinute", path, base.tokensPerMinute()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + "." + e.getMessage());
        }
    }

    private static JsonNode defaultCatalog() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_CATALOG)) {
            if (in == null) {
                throw new ConfigException("default catalog resource " + DEFAULT_CATALOG + " is missing from the build");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("default catalog: " + e.getMessage(), e);
        }
    }
}
