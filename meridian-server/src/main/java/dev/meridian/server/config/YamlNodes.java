package dev.meridian.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Typed reads from a YAML tree with errors that name the field path, the bad value and the expectation. */
final class YamlNodes {
    private YamlNodes() {}

    static String text(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: a non-empty string)");
        }
        return v.asText();
    }

    static String text(JsonNode node, String field, String path, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : text(node, field, path);
    }

    static boolean bool(JsonNode node, String field, String path, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: true or false)");
        }
        return v.booleanValue();
    }

    static double number(JsonNode node, String field, String path, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: a number)");
        }
        return v.doubleValue();
    }

    static int integer(JsonNode node, String field, String path, int fallback, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
            throw new ConfigException(
                    path + "." + field + ": " + show(v) + " (expected: an integer in " + min + ".." + max + ")");
        }
        return v.intValue();
    }

    static Duration duration(JsonNode node, String field, String path, Duration fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = v.asText().trim();
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new ConfigException(
                path + "." + field + ": " + show(v) + " (expected: a duration such as 500ms, 30s, 2m, 12h, 90d)");
    }

    static List<String> strings(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: a list of strings)");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.asText().isBlank()) {
                throw new ConfigException(path + "." + field + ": " + show(item) + " (expected: a non-empty string)");
            }
            out.add(item.asText());
        }
        return out;
    }

    static Set<String> stringSet(JsonNode node, String field, String path) {
        return new LinkedHashSet<>(strings(node, field, path));
    }

    static List<JsonNode> list(JsonNode node, String field, String path) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: a list)");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    static JsonNode object(JsonNode node, String field, String path) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw new ConfigException(path + "." + field + ": " + show(v) + " (expected: a mapping)");
        }
        return v;
    }

    private static String show(JsonNode v) {
        return v == null || v.isNull() ? "missing" : v.toString();
    }

    /** A secret inline, from an environment variable ({@code <field>Env}) or a file ({@code <field>File}). */
    static String secret(JsonNode n, String field, String path) {
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
