package dev.meridian.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.sim.ServingProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link Scenario} from YAML and checks it against a catalog, so a typo fails before a run with the key
 * that is wrong (e.g. {@code faults[0].region: unknown region eu-west-9}). Durations are written as {@code 90s},
 * {@code 20m}, {@code 1h} or a number of seconds. Shipped scenarios are read by name from the class path.
 */
public final class ScenarioReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The longest simulated time one scenario may cover (a week). */
    static final double MAX_DURATION_SECONDS = 7 * 24 * 3600;

    /** The most time bins a report plots: beyond this a plot has more points than pixels. */
    static final int MAX_BINS = 10_000;

    /**
     * The most arrivals a scenario may ask for, counted at each source's peak rate over the whole duration. Each
     * request is simulated once per policy and kept in memory for the percentiles, so a typo in a rate or a
     * duration must not turn into an hour of work and an out-of-memory error.
     */
    static final double MAX_ARRIVALS = 2_000_000;

    /**
     * The scenarios shipped with Meridian (resources under {@code meridian/scenarios/}), as one constant string so
     * that help texts (annotations) can name them too.
     */
    public static final String SHIPPED_NAMES =
            "eu-steady, eu-peak-frankfurt-saturated, eu-outage, global-us-peak, eu-flapping, eu-gateway-pool";

    /** {@link #SHIPPED_NAMES} as a list. */
    public static final List<String> SHIPPED = List.of(SHIPPED_NAMES.split(", "));

    private final Catalog catalog;

    public ScenarioReader(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Reads a file, or a shipped scenario when {@code nameOrPath} is one of {@link #SHIPPED}. */
    public Scenario read(String nameOrPath) {
        if (SHIPPED.contains(nameOrPath)) {
            String resource = "/meridian/scenarios/" + nameOrPath + ".yaml";
            try (InputStream in = ScenarioReader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ScenarioException("shipped scenario " + nameOrPath + " is missing from the build");
                }
                return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ScenarioException(nameOrPath + ": " + e.getMessage());
            }
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            throw new ScenarioException(
                    "no scenario file " + nameOrPath + " (shipped scenarios: " + SHIPPED_NAMES + ")");
        }
        try {
            return parse(Files.readString(path));
        } catch (IOException e) {
            throw new ScenarioException(nameOrPath + ": " + e.getMessage());
        }
    }

    /** Parses YAML text. */
    public Scenario parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("scenario is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ScenarioException("scenario: expected a mapping at the top level");
        }
        only(
                root,
                "scenario",
                "name",
                "description",
                "seed",
                "duration",
                "invoke",
                "fleet",
                "traffic",
                "tokens",
                "conversations",
                "faults",
                "policies",
                "bin",
                "gateways");
        String name = text(root, "name", "scenario", null);
        if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new ScenarioException("name: '" + name + "' (expected: lower-case letters, digits and dashes)");
        }
        double duration = duration(root, "duration", "scenario", null);
        if (!(duration > 0 && duration <= MAX_DURATION_SECONDS)) {
            throw new ScenarioException("scenario.duration: " + duration + " s (expected: more than 0 s and at most "
                    + (long) MAX_DURATION_SECONDS + " s, a week)");
        }
        String invoke = text(root, "invoke", "scenario", null);
        if (catalog.model(invoke).isEmpty() && catalog.profile(invoke).isEmpty()) {
            throw new ScenarioException("invoke: unknown model or inference profile " + invoke);
        }
        Scenario.Fleet fleet = fleet(root.path("fleet"));
        List<Scenario.Traffic> traffic = traffic(root.path("traffic"));
        JsonNode tokens = root.path("tokens");
        only(tokens, "tokens", "input", "output", "maxTokens");
        Scenario.TokenDistribution input =
                distribution(tokens.path("input"), "tokens.input", new Scenario.TokenDistribution(400, 0.8, 8000));
        Scenario.TokenDistribution output =
                distribution(tokens.path("output"), "tokens.output", new Scenario.TokenDistribution(250, 0.6, 2000));
        int maxTokens = integer(tokens, "maxTokens", "tokens", 1024, 1, 1_000_000);
        JsonNode conv = root.path("conversations");
        only(conv, "conversations", "turns", "systemTokens", "active");
        Scenario.Conversations conversations = new Scenario.Conversations(
                number(conv, "turns", "conversations", 1.0, 1.0, 10_000),
                integer(conv, "systemTokens", "conversations", 0, 0, 1_000_000),
                integer(conv, "active", "conversations", 1000, 1, 1_000_000));
        List<Scenario.Fault> faults = faults(root.path("faults"), duration);
        List<String> policies = new ArrayList<>();
        if (root.has("policies")) {
            for (JsonNode p : array(root.get("policies"), "policies")) {
                policies.add(p.asText());
            }
        } else {
            policies.addAll(Policies.NAMES);
        }
        double bin = root.has("bin") ? duration(root, "bin", "scenario", null) : Math.max(1, duration / 60);
        if (!(bin > 0 && duration / bin <= MAX_BINS)) {
            throw new ScenarioException("scenario.bin: " + bin + " s (expected: more than 0 s and at least "
                    + duration / MAX_BINS + " s, so the " + duration + " s make at most " + MAX_BINS + " bins)");
        }
        double arrivals =
                traffic.stream().mapToDouble(Scenario.Traffic::maxRate).sum() * duration;
        if (arrivals == 0) {
            throw new ScenarioException("traffic: every rate is 0 (expected: at least one source sending requests)");
        }
        if (arrivals > MAX_ARRIVALS) {
            throw new ScenarioException(String.format(
                    Locale.ROOT,
                    "traffic: up to %.0f requests in %.0f s at the peak rates (expected: at most %.0f; shorten the"
                            + " duration or lower the rates)",
                    arrivals,
                    duration,
                    MAX_ARRIVALS));
        }
        JsonNode gw = root.path("gateways");
        only(gw, "gateways", "perSource", "balancing", "loadReports");
        String balancing = text(gw, "balancing", "gateways", "sticky");
        if (!balancing.equals("sticky") && !balancing.equals("random")) {
            throw new ScenarioException("gateways.balancing: '" + balancing + "' (expected sticky or random)");
        }
        Scenario.Gateways gateways = new Scenario.Gateways(
                integer(gw, "perSource", "gateways", 1, 1, 64),
                balancing.equals("sticky"),
                gw.has("loadReports") ? duration(gw, "loadReports", "gateways", null) : 0);
        return new Scenario(
                name,
                text(root, "description", "scenario", ""),
                seed(root),
                duration,
                invoke,
                fleet,
                traffic,
                input,
                output,
                maxTokens,
                conversations,
                faults,
                policies,
                bin,
                gateways);
    }

    private static long seed(JsonNode root) {
        JsonNode v = root.get("seed");
        if (v == null || v.isNull()) {
            return 1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ScenarioException("scenario.seed: '" + v.asText() + "' (expected a whole number)");
        }
        return v.longValue();
    }

    private Scenario.Fleet fleet(JsonNode n) {
        only(n, "fleet", "defaults", "regions", "queue", "prefixCacheTokens");
        ServingProfile defaults = serving(n.path("defaults"), "fleet.defaults", ServingProfile.DEFAULT);
        Map<String, ServingProfile> regions = new LinkedHashMap<>();
        JsonNode perRegion = n.path("regions");
        for (Iterator<String> it = perRegion.fieldNames(); it.hasNext(); ) {
            String region = it.next();
            region(region, "fleet.regions." + region);
            regions.put(region, serving(perRegion.get(region), "fleet.regions." + region, defaults));
        }
        return new Scenario.Fleet(defaults, regions, integer(n, "queue", "fleet", 0, 0, 1_000_000), (long)
                number(n, "prefixCacheTokens", "fleet", 2_000_000, 0, 1e12));
    }

    private static ServingProfile serving(JsonNode n, String path, ServingProfile base) {
        only(n, path, "capacity", "ttftMs", "prefillTokensPerSecond", "decodeTokensPerSecond", "tokensPerMinute");
        try {
            return new ServingProfile(
                    integer(n, "capacity", path, base.capacity(), 0, 1_000_000),
                    number(n, "ttftMs", path, base.ttftMs(), 0, 1e7),
                    number(n, "prefillTokensPerSecond", path, base.prefillTokensPerSecond(), 1e-3, 1e12),
                    number(n, "decodeTokensPerSecond", path, base.decodeTokensPerSecond(), 1e-3, 1e12),
                    (long) number(n, "tokensPerMinute", path, base.tokensPerMinute(), 0, 1e15));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(path + "." + e.getMessage());
        }
    }

    private List<Scenario.Traffic> traffic(JsonNode n) {
        List<Scenario.Traffic> out = new ArrayList<>();
        int i = 0;
        for (JsonNode t : array(n, "traffic")) {
            String path = "traffic[" + i++ + "]";
            only(t, path, "source", "rate", "peak");
            String source = text(t, "source", path, null);
            region(source, path + ".source");
            double rate = number(t, "rate", path, Double.NaN, 0, 1e6);
            JsonNode peak = t.path("peak");
            only(peak, path + ".peak", "at", "width", "factor");
            double width = peak.isMissingNode() ? 0 : duration(peak, "width", path + ".peak", null);
            if (!peak.isMissingNode() && width <= 0) {
                throw new ScenarioException(path + ".peak.width: " + width + " s (expected: more than 0 s)");
            }
            out.add(new Scenario.Traffic(
                    source,
                    rate,
                    peak.isMissingNode() ? 0 : duration(peak, "at", path + ".peak", null),
                    width,
                    number(peak, "factor", path + ".peak", 1.0, 0, 1000)));
        }
        if (out.isEmpty()) {
            throw new ScenarioException("traffic: expected at least one source region");
        }
        return out;
    }

    private static Scenario.TokenDistribution distribution(JsonNode n, String path, Scenario.TokenDistribution base) {
        only(n, path, "median", "sigma", "max");
        int median = integer(n, "median", path, base.median(), 1, 10_000_000);
        int max = integer(n, "max", path, Math.max(base.max(), median), 1, 10_000_000);
        if (median > max) {
            throw new ScenarioException(path + ": median " + median + " is above max " + max);
        }
        return new Scenario.TokenDistribution(median, number(n, "sigma", path, base.sigma(), 0, 5), max);
    }

    private List<Scenario.Fault> faults(JsonNode n, double duration) {
        List<Scenario.Fault> out = new ArrayList<>();
        int i = 0;
        for (JsonNode f : array(n, "faults")) {
            String path = "faults[" + i++ + "]";
            only(f, path, "region", "kind", "from", "to", "factor", "extraMs", "period", "down");
            String region = text(f, "region", path, null);
            region(region, path + ".region");
            String kindText = text(f, "kind", path, null);
            Scenario.FaultKind kind;
            try {
                kind = Scenario.FaultKind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(
                        path + ".kind: '" + kindText + "' (expected one of down, capacity, latency, flap)");
            }
            double from = duration(f, "from", path, 0.0);
            double to = duration(f, "to", path, duration);
            if (!(to > from)) {
                throw new ScenarioException(path + ": to (" + to + " s) must be after from (" + from + " s)");
            }
            double period = kind == Scenario.FaultKind.FLAP ? duration(f, "period", path, null) : 0;
            double down = kind == Scenario.FaultKind.FLAP ? duration(f, "down", path, null) : 0;
            if (kind == Scenario.FaultKind.FLAP && !(down > 0 && down < period)) {
                throw new ScenarioException(path + ".down: " + down + " s (expected: > 0 and < period " + period + ")");
            }
            out.add(new Scenario.Fault(
                    region,
                    kind,
                    from,
                    to,
                    kind == Scenario.FaultKind.CAPACITY ? number(f, "factor", path, Double.NaN, 0, 1) : 1.0,
                    kind == Scenario.FaultKind.LATENCY ? number(f, "extraMs", path, Double.NaN, 0, 1e7) : 0.0,
                    period,
                    down));
        }
        return out;
    }

    private void region(String id, String path) {
        if (catalog.region(id).isEmpty()) {
            throw new ScenarioException(path + ": unknown region " + id + " (known: " + catalog.regionIds() + ")");
        }
    }

    private static Iterable<JsonNode> array(JsonNode n, String path) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ScenarioException(path + ": expected a list");
        }
        return n;
    }

    private static void only(JsonNode n, String path, String... keys) {
        if (n.isMissingNode() || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw new ScenarioException(path + ": expected a mapping");
        }
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ScenarioException(
                        path + "." + key + ": unknown key (expected one of " + String.join(", ", keys) + ")");
            }
        }
    }

    private static String text(JsonNode n, String key, String path, String fallback) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new ScenarioException(path + "." + key + ": missing");
            }
            return fallback;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new ScenarioException(path + "." + key + ": expected a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String key, String path, double fallback, double min, double max) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (Double.isNaN(fallback)) {
                throw new ScenarioException(path + "." + key + ": missing");
            }
            return fallback;
        }
        if (!v.isNumber()) {
            throw new ScenarioException(path + "." + key + ": '" + v.asText() + "' (expected a number)");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw new ScenarioException(path + "." + key + ": " + d + " (expected: " + min + ".." + max + ")");
        }
        return d;
    }

    private static int integer(JsonNode n, String key, String path, int fallback, int min, int max) {
        double d = number(n, key, path, fallback, min, max);
        if (d != Math.rint(d)) {
            throw new ScenarioException(path + "." + key + ": " + d + " (expected a whole number)");
        }
        return (int) d;
    }

    /** Seconds from {@code 90s}, {@code 20m}, {@code 1h}, {@code 1.5h} or a plain number of seconds. */
    static double duration(JsonNode n, String key, String path, Double fallback) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new ScenarioException(path + "." + key + ": missing");
            }
            return fallback;
        }
        if (v.isNumber()) {
            double seconds = v.asDouble();
            if (!(seconds >= 0 && Double.isFinite(seconds))) {
                throw new ScenarioException(path + "." + key + ": " + v.asText()
                        + " (expected a duration of 0 or more, like 90s, 20m, 1h or a number of seconds)");
            }
            return seconds;
        }
        if (!v.isTextual()) {
            throw new ScenarioException(path + "." + key + ": expected a duration like 90s, 20m or 1h");
        }
        String s = v.asText().trim();
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)")
                .matcher(s);
        if (!m.matches()) {
            throw new ScenarioException(path + "." + key + ": '" + s + "' (expected a duration like 90s, 20m or 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> value / 1000;
            case "s" -> value;
            case "m" -> value * 60;
            default -> value * 3600;
        };
    }
}
