package dev.meridian.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses configuration keys that nothing reads. A misspelt key ({@code requestBodyTimout}, {@code prot}) used to be
 * ignored in silence, leaving the default in force, which for a timeout or a limit is a security setting the
 * operator believes is applied. Rather than a second list of every key to keep in step with the readers, the YAML
 * tree records the names each reader asks for: a key present in the file that no reader asked about is unknown, and
 * the names that were asked about at the same place are the suggestions.
 */
final class KnownKeys {
    private KnownKeys() {}

    /** A YAML mapper whose objects remember which of their keys were asked for. */
    static ObjectMapper yamlMapper() {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.setNodeFactory(new RecordingFactory());
        return mapper;
    }

    /**
     * Throws a {@link ConfigException} naming every key under {@code root} that no reader asked for, in the file's
     * order (run it after reading). Objects a reader iterated (maps such as {@code simulator.regions}) count as
     * read whole.
     */
    static void requireAllRead(JsonNode root, String path) {
        List<String> unknown = new ArrayList<>();
        collectUnread(root, path, unknown);
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join("; ", unknown));
        }
    }

    private static void collectUnread(JsonNode node, String path, List<String> unknown) {
        if (node instanceof RecordingObject object) {
            for (Map.Entry<String, JsonNode> e : object.children()) {
                String where = path + "." + e.getKey();
                if (!object.iterated && !object.asked.contains(e.getKey())) {
                    unknown.add(where + ": unknown key" + suggestion(e.getKey(), object.asked));
                } else {
                    collectUnread(e.getValue(), where, unknown);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectUnread(node.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    private static String suggestion(String key, Set<String> known) {
        return known.stream()
                .min(Comparator.comparingInt(k -> distance(key.toLowerCase(), k.toLowerCase())))
                .filter(k -> distance(key.toLowerCase(), k.toLowerCase()) <= Math.max(2, key.length() / 3))
                .map(k -> " (did you mean '" + k + "'?)")
                .orElse(" (known here: " + known.stream().sorted().toList() + ")");
    }

    /** Levenshtein distance: a misspelling is a few edits away from the key meant. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static final class RecordingFactory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ObjectNode objectNode() {
            return new RecordingObject(this);
        }
    }

    /** An object node that notes each name looked up in it, present or not, and whether it was iterated. */
    private static final class RecordingObject extends ObjectNode {
        private static final long serialVersionUID = 1L;
        private final Set<String> asked = new HashSet<>();
        private boolean iterated;

        RecordingObject(JsonNodeFactory factory) {
            super(factory);
        }

        Set<Map.Entry<String, JsonNode>> children() {
            return _children.entrySet();
        }

        @Override
        public JsonNode get(String name) {
            asked.add(name);
            return super.get(name);
        }

        @Override
        public JsonNode path(String name) {
            asked.add(name);
            return super.path(name);
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> properties() {
            iterated = true;
            return super.properties();
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> fields() {
            iterated = true;
            return super.fields();
        }

        @Override
        public Iterator<String> fieldNames() {
            iterated = true;
            return super.fieldNames();
        }

        @Override
        public Iterator<JsonNode> elements() {
            iterated = true;
            return super.elements();
        }
    }
}
