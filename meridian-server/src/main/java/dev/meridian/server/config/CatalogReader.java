package dev.meridian.server.config;

import static dev.meridian.server.config.YamlNodes.bool;
import static dev.meridian.server.config.YamlNodes.integer;
import static dev.meridian.server.config.YamlNodes.list;
import static dev.meridian.server.config.YamlNodes.number;
import static dev.meridian.server.config.YamlNodes.stringSet;
import static dev.meridian.server.config.YamlNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.Region;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Catalog} from the default catalog's YAML tree plus the user's {@code catalog:} section.
 *
 * <p>User entries extend the defaults: regions and geographies with an existing id replace it, a model with an
 * existing id adds its regions to the ones that serve it (published profiles pinned to those regions stay
 * valid) and, when it states them, sets its {@code maxOutputTokens} and {@code contextTokens}. A user profile with the id of a published one
 * must list exactly the published region set: geographic profiles are static, so a changed set has to be published
 * under a new id.
 */
final class CatalogReader {
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private final Map<String, Geography> geographies = new LinkedHashMap<>();
    private final Map<String, FoundationModel> models = new LinkedHashMap<>();
    private final Map<String, JsonNode> profileNodes = new LinkedHashMap<>();
    private final Map<String, Set<String>> published = new LinkedHashMap<>();

    static Catalog read(JsonNode defaults, JsonNode user, String userPath) {
        CatalogReader reader = new CatalogReader();
        reader.add(defaults, "default-catalog", true);
        if (user != null) {
            reader.add(user, userPath, false);
        }
        return reader.build();
    }

    private void add(JsonNode root, String path, boolean publishing) {
        for (JsonNode n : list(root, "regions", path)) {
            Region r = region(n, path + ".regions[]");
            regions.put(r.id(), r);
        }
        for (JsonNode n : list(root, "geographies", path)) {
            Geography g = geography(n, path + ".geographies[]");
            geographies.put(g.id(), g);
        }
        for (JsonNode n : list(root, "models", path)) {
            FoundationModel m = model(n, path + ".models[]");
            FoundationModel known = models.get(m.id());
            if (known != null) {
                Set<String> served = new LinkedHashSet<>(known.regions());
                served.addAll(m.regions());
                int limit = m.maxOutputTokens() > 0 ? m.maxOutputTokens() : known.maxOutputTokens();
                int context = m.contextTokens() > 0 ? m.contextTokens() : known.contextTokens();
                FoundationModel stated = m;
                m = wrap(
                        path + ".models[]",
                        () -> new FoundationModel(
                                stated.id(), stated.name(), stated.provider(), served, limit, context));
            }
            models.put(m.id(), m);
        }
        for (JsonNode n : list(root, "profiles", path)) {
            String where = path + ".profiles[]";
            String id = text(n, "geography", where) + "." + text(n, "model", where);
            Set<String> set = stringSet(n, "regions", where + "(" + id + ")");
            Set<String> pinned = published.get(id);
            if (pinned != null && !pinned.equals(set)) {
                throw new ConfigException(where + "(" + id + ").regions: " + set + " (expected: the published set "
                        + pinned + "; a profile's region set never changes, publish a new profile id instead)");
            }
            if (publishing) {
                published.put(id, set);
            }
            profileNodes.put(id, n);
        }
    }

    private Catalog build() {
        List<InferenceProfile> profiles = profileNodes.entrySet().stream()
                .map(e -> profile(e.getValue(), "profiles[" + e.getKey() + "]"))
                .toList();
        try {
            return Catalog.of(regions.values(), geographies.values(), models.values(), profiles);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("catalog: " + e.getMessage(), e);
        }
    }

    private static Region region(JsonNode n, String path) {
        return wrap(
                path,
                () -> new Region(
                        text(n, "id", path),
                        text(n, "displayName", path),
                        text(n, "country", path),
                        bool(n, "euMemberState", path, false),
                        stringSet(n, "geographies", path),
                        number(n, "latitude", path, 0),
                        number(n, "longitude", path, 0)));
    }

    private static Geography geography(JsonNode n, String path) {
        String external = text(n, "externalSources", path, "not-offered");
        ExternalSources policy = switch (external) {
            case "not-offered" -> ExternalSources.NOT_OFFERED;
            case "source-plus-members" -> ExternalSources.SOURCE_PLUS_MEMBERS;
            default ->
                throw new ConfigException(
                        path + ".externalSources: " + external + " (expected: not-offered or source-plus-members)");
        };
        return wrap(
                path,
                () -> new Geography(
                        text(n, "id", path),
                        text(n, "displayName", path),
                        stringSet(n, "associates", path),
                        policy,
                        bool(n, "euMemberStatesOnly", path, false)));
    }

    private static FoundationModel model(JsonNode n, String path) {
        return wrap(
                path,
                () -> new FoundationModel(
                        text(n, "id", path),
                        text(n, "name", path),
                        text(n, "provider", path),
                        stringSet(n, "regions", path),
                        integer(n, "maxOutputTokens", path, 0, 1, 10_000_000),
                        integer(n, "contextTokens", path, 0, 1, 100_000_000)));
    }

    private InferenceProfile profile(JsonNode n, String path) {
        String modelId = text(n, "model", path);
        FoundationModel model = models.get(modelId);
        if (model == null) {
            throw new ConfigException(path + ".model: " + modelId + " (unknown model)");
        }
        return wrap(path, () -> {
            InferenceProfile p = InferenceProfile.systemDefined(
                    text(n, "geography", path), model, text(n, "name", path), stringSet(n, "regions", path));
            String description = text(n, "description", path, p.description());
            return new InferenceProfile(
                    p.id(),
                    p.name(),
                    description,
                    p.type(),
                    p.modelId(),
                    p.geography(),
                    p.regions(),
                    null,
                    null,
                    p.createdAt(),
                    Map.of());
        });
    }

    private static <T> T wrap(String path, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage(), e);
        }
    }
}
