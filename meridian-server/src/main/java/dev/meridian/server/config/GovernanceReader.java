package dev.meridian.server.config;

import static dev.meridian.server.config.YamlNodes.list;
import static dev.meridian.server.config.YamlNodes.object;
import static dev.meridian.server.config.YamlNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.invocationlog.InvocationLogSettings;
import dev.meridian.server.policy.Authorization;
import dev.meridian.server.policy.Policies;
import dev.meridian.server.policy.PolicyDocument;
import dev.meridian.server.policy.PolicyException;
import dev.meridian.server.policy.PolicyParser;
import dev.meridian.server.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code policies:}, the policy attachments and {@code gateway:} flags on {@code auth:} keys,
 * {@code auth.policyMode}, {@code stores:}, {@code audit:} and {@code invocationLogging:}. A malformed policy stops start-up with its name,
 * line and reason.
 */
final class GovernanceReader {
    private GovernanceReader() {}

    static Governance read(JsonNode root, String path) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Governance.defaults();
        }
        Map<String, PolicyDocument> documents = documents(object(root, "policies", path), path + ".policies");
        JsonNode auth = object(root, "auth", path);
        Map<String, List<PolicyDocument>> attached = new HashMap<>();
        Set<String> peers = new HashSet<>();
        attach(auth, "accessKeys", "accessKeyId", path + ".auth", documents, attached, peers);
        attach(auth, "apiKeys", null, path + ".auth", documents, attached, peers);
        String mode = text(auth, "policyMode", path + ".auth", "refuse");
        Authorization.Mode policyMode = switch (mode) {
            case "refuse" -> Authorization.Mode.REFUSE;
            case "narrow" -> Authorization.Mode.NARROW;
            default ->
                throw new ConfigException(path + ".auth.policyMode: \"" + mode + "\" (expected: refuse or narrow)");
        };
        JsonNode audit = object(root, "audit", path);
        Duration retention = YamlNodes.duration(audit, "retention", path + ".audit", Duration.ofDays(90));
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new ConfigException(path + ".audit.retention: " + retention + " (expected: at least 1d)");
        }
        return new Governance(
                new Policies(attached, !documents.isEmpty()),
                policyMode,
                stores(object(root, "stores", path), path + ".stores").withAuditSync(auditSync(audit, path)),
                retention,
                peers,
                invocationLogs(object(root, "invocationLogging", path), path + ".invocationLogging"));
    }

    private static Map<String, PolicyDocument> documents(JsonNode policies, String path) {
        Map<String, PolicyDocument> out = new LinkedHashMap<>();
        policies.fieldNames().forEachRemaining(name -> {
            JsonNode n = policies.get(name);
            String where = path + "." + name;
            String json;
            if (n.isTextual()) {
                json = n.asText();
            } else if (n.hasNonNull("document")) {
                json = text(n, "document", where);
            } else if (n.hasNonNull("file")) {
                Path file = Path.of(text(n, "file", where));
                try {
                    json = Files.readString(file);
                } catch (IOException e) {
                    throw new ConfigException(where + ".file: cannot read " + file + " (" + e.getMessage() + ")");
                }
            } else {
                throw new ConfigException(where + ": expected a JSON policy document as text, or document: or file:");
            }
            try {
                out.put(name, PolicyParser.parse(name, json));
            } catch (PolicyException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        });
        return out;
    }

    private static void attach(
            JsonNode auth,
            String keysField,
            String idField,
            String path,
            Map<String, PolicyDocument> documents,
            Map<String, List<PolicyDocument>> attached,
            Set<String> peers) {
        for (JsonNode k : list(auth, keysField, path)) {
            String where = path + "." + keysField + "[]";
            String principal = idField == null
                    ? text(k, "principal", where)
                    : text(k, "principal", where, text(k, idField, where));
            for (String name : YamlNodes.strings(k, "policies", where + "(" + principal + ")")) {
                PolicyDocument doc = documents.get(name);
                if (doc == null) {
                    throw new ConfigException(where + "(" + principal + ").policies: unknown policy '" + name
                            + "' (defined: " + documents.keySet() + ")");
                }
                attached.computeIfAbsent(principal, p -> new ArrayList<>()).add(doc);
            }
            if (YamlNodes.bool(k, "gateway", where + "(" + principal + ")", false)) {
                peers.add(principal);
            }
        }
    }

    private static boolean auditSync(JsonNode audit, String path) {
        String sync = text(audit, "sync", path + ".audit", "disk");
        return switch (sync) {
            case "disk" -> true;
            case "os" -> false;
            default -> throw new ConfigException(path + ".audit.sync: \"" + sync + "\" (expected: disk or os)");
        };
    }

    private static InvocationLogSettings invocationLogs(JsonNode n, String path) {
        String kind = text(n, "kind", path, "local");
        if (kind.equals("local")) {
            return InvocationLogSettings.local();
        }
        if (!kind.equals("s3")) {
            throw new ConfigException(path + ".kind: \"" + kind + "\" (expected: local or s3)");
        }
        String endpoint = text(n, "endpoint", path, null);
        if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new ConfigException(path + ".endpoint: " + endpoint + " (expected: an http(s) URL)");
        }
        String accessKeyId = text(n, "accessKeyId", path, null);
        String secret = accessKeyId == null ? null : YamlNodes.secret(n, "secretAccessKey", path);
        return new InvocationLogSettings(
                true, endpoint, accessKeyId, secret, YamlNodes.bool(n, "pathStyle", path, endpoint != null));
    }

    private static StoreSettings stores(JsonNode n, String path) {
        String kind = text(n, "kind", path, "embedded");
        if (kind.equals("embedded")) {
            return StoreSettings.embedded();
        }
        if (!kind.equals("postgresql")) {
            throw new ConfigException(path + ".kind: \"" + kind + "\" (expected: embedded or postgresql)");
        }
        String url = text(n, "url", path);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(path + ".url: " + url + " (expected: jdbc:postgresql://host:port/database)");
        }
        Map<String, String> regions = new LinkedHashMap<>();
        JsonNode r = object(n, "regions", path);
        r.fieldNames().forEachRemaining(region -> regions.put(region, text(r, region, path + ".regions")));
        String password = n.hasNonNull("password") || n.hasNonNull("passwordEnv") || n.hasNonNull("passwordFile")
                ? YamlNodes.secret(n, "password", path)
                : null;
        return new StoreSettings(StoreSettings.Kind.POSTGRESQL, url, text(n, "user", path, null), password, regions);
    }
}
