package dev.meridian.server.config;

import static dev.meridian.server.config.YamlNodes.bool;
import static dev.meridian.server.config.YamlNodes.duration;
import static dev.meridian.server.config.YamlNodes.list;
import static dev.meridian.server.config.YamlNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.auth.AccessKey;
import dev.meridian.server.auth.ApiKey;
import dev.meridian.server.auth.AuthSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code auth:} section. Secrets come inline, from an environment variable ({@code ...Env}) or from a
 * file ({@code ...File}); error messages name the variable or file, never the secret. Without an {@code auth:}
 * section the demo credentials apply, which the server accepts on loopback only.
 */
final class AuthReader {
    private AuthReader() {}

    static AuthSettings read(JsonNode node, String path, String homeRegion) {
        if (node == null || node.isNull()) {
            return new AuthSettings(
                    List.of(AuthSettings.DEMO_ACCESS_KEY),
                    List.of(new ApiKey(AuthSettings.DEMO_API_KEY, "demo", homeRegion)),
                    Duration.ofMinutes(15),
                    false);
        }
        List<AccessKey> accessKeys = new ArrayList<>();
        for (JsonNode k : list(node, "accessKeys", path)) {
            String where = path + ".accessKeys[]";
            String id = text(k, "accessKeyId", where);
            accessKeys.add(new AccessKey(
                    id,
                    secret(k, "secretAccessKey", where + "(" + id + ")"),
                    text(k, "principal", where + "(" + id + ")", id)));
        }
        List<ApiKey> apiKeys = new ArrayList<>();
        for (JsonNode k : list(node, "apiKeys", path)) {
            String where = path + ".apiKeys[]";
            String principal = text(k, "principal", where);
            apiKeys.add(new ApiKey(
                    secret(k, "key", where + "(" + principal + ")"),
                    principal,
                    text(k, "region", where + "(" + principal + ")", homeRegion)));
        }
        Duration skew = duration(node, "clockSkew", path, Duration.ofMinutes(15));
        return new AuthSettings(accessKeys, apiKeys, skew, bool(node, "allowAnonymous", path, false));
    }

    private static String secret(JsonNode n, String field, String path) {
        if (n.hasNonNull(field)) {
            return text(n, field, path);
        }
        if (n.hasNonNull(field + "Env")) {
            String variable = text(n, field + "Env", path);
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                throw new ConfigException(path + "." + field + "Env: environment variable " + variable + " is not set");
            }
            return value.trim();
        }
        if (n.hasNonNull(field + "File")) {
            Path file = Path.of(text(n, field + "File", path));
            try {
                return Files.readString(file).trim();
            } catch (IOException e) {
                throw new ConfigException(path + "." + field + "File: cannot read " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        throw new ConfigException(
                path + ": missing " + field + " (expected: " + field + ", " + field + "Env or " + field + "File)");
    }
}
