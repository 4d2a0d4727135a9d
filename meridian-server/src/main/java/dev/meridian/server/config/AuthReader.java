package dev.meridian.server.config;

import static dev.meridian.server.config.YamlNodes.bool;
import static dev.meridian.server.config.YamlNodes.duration;
import static dev.meridian.server.config.YamlNodes.list;
import static dev.meridian.server.config.YamlNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.auth.AccessKey;
import dev.meridian.server.auth.ApiKey;
import dev.meridian.server.auth.AuthSettings;
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
                    YamlNodes.secret(k, "secretAccessKey", where + "(" + id + ")"),
                    text(k, "principal", where + "(" + id + ")", id)));
        }
        List<ApiKey> apiKeys = new ArrayList<>();
        for (JsonNode k : list(node, "apiKeys", path)) {
            String where = path + ".apiKeys[]";
            String principal = text(k, "principal", where);
            apiKeys.add(new ApiKey(
                    YamlNodes.secret(k, "key", where + "(" + principal + ")"),
                    principal,
                    text(k, "region", where + "(" + principal + ")", homeRegion)));
        }
        Duration skew = duration(node, "clockSkew", path, Duration.ofMinutes(15));
        return new AuthSettings(accessKeys, apiKeys, skew, bool(node, "allowAnonymous", path, false));
    }
}
