package dev.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.Wiring;
import dev.meridian.server.admin.ExplanationJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meridian explain}: the allowed destinations of a model id from a source region, the rule behind them,
 * and the routing plan: offline from the configuration, or live from a running gateway with {@code --endpoint}.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Explain where a request would be allowed to go and how it would be routed.")
final class ExplainCommand implements Runnable {
    @Mixin
    ConfigOption config;

    @Option(
            names = {"-r", "--source-region"},
            required = true,
            paramLabel = "REGION")
    String sourceRegion;

    @Option(
            names = {"-m", "--model-id"},
            required = true,
            paramLabel = "ID",
            description = "Model id, profile id or ARN.")
    String modelId;

    @Option(
            names = {"-e", "--endpoint"},
            paramLabel = "URL",
            description = "A running gateway (e.g. http://127.0.0.1:8080): use its live routing signals.")
    String endpoint;

    @Option(
            names = {"-p", "--principal"},
            paramLabel = "NAME",
            description = "Also show what this principal's policies allow (and, in narrow mode, the narrowed plan).")
    String principal;

    @Option(
            names = "--simulate",
            paramLabel = "N",
            defaultValue = "0",
            description = "Also show how the next N requests would be spread across the destinations if they"
                    + " arrived together now (under the current live signals with --endpoint).")
    int simulate;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        JsonNode e;
        if (endpoint != null) {
            e = AdminClient.get(
                    endpoint,
                    "explain?sourceRegion=" + encode(sourceRegion) + "&modelId=" + encode(modelId)
                            + (principal == null ? "" : "&principal=" + encode(principal))
                            + (simulate == 0 ? "" : "&simulate=" + simulate));
        } else {
            try (Wiring wiring = Wiring.of(config.load())) {
                e = ExplanationJson.render(wiring.gateway().explain(sourceRegion, modelId, principal, simulate));
            }
        }
        print(spec.commandLine().getOut(), e);
    }

    static void print(PrintWriter out, JsonNode e) {
        out.printf("source region   %s%n", e.path("sourceRegion").asText());
        out.printf("requested       %s%n", e.path("requestedId").asText());
        out.printf("model           %s%n", e.path("modelId").asText());
        out.printf(
                "profile         %s%n",
                e.path("profileId").isNull()
                        ? "(none: in-region call)"
                        : e.path("profileId").asText());
        out.printf("rule            %s%n", e.path("rule").asText());
        StringBuilder allowed = new StringBuilder();
        e.path("allowedRegions")
                .forEach(r -> allowed.append(allowed.isEmpty() ? "" : ", ").append(r.asText()));
        out.printf(
                "allowed         %s%n", allowed.isEmpty() ? "(none: not invocable from this source region)" : allowed);
        if (!e.path("alternatives").isEmpty()) {
            StringBuilder alt = new StringBuilder();
            e.path("alternatives")
                    .forEach(a -> alt.append(alt.isEmpty() ? "" : ", ").append(a.asText()));
            out.printf("use instead     %s%n", alt);
        }
        JsonNode policy = e.path("policy");
        if (policy.isObject()) {
            out.printf(
                    "policy          %s: %s%n",
                    policy.path("principal").asText(), policy.path("permitted").asBoolean() ? "permitted" : "DENIED");
            for (JsonNode c : policy.path("checks")) {
                out.printf(
                        "                %-8s %s  (%s)%n",
                        c.path("outcome").asText().equals("ALLOWED") ? "allow" : "deny",
                        c.path("resource").asText(),
                        c.path("reason").asText());
            }
        }
        out.println();
        if (!e.path("plan").isEmpty()) {
            out.printf(
                    "%-4s %-16s %-13s %12s %9s %9s %8s%n",
                    "#", "REGION", "STATE", "EXPECTED ms", "RTT ms", "IN-FLIGHT", "PENALTY");
            int i = 1;
            for (JsonNode c : e.path("plan")) {
                out.printf(
                        "%-4d %-16s %-13s %12.1f %9.1f %5d/%-3s %8.2f%n",
                        i++,
                        c.path("region").asText(),
                        c.path("state").asText(),
                        c.path("expectedLatencyMs").asDouble(),
                        c.path("rttMs").asDouble(),
                        c.path("inFlight").asInt(),
                        c.path("capacity").asInt() == 0
                                ? "?"
                                : c.path("capacity").asText(),
                        c.path("penalty").asDouble());
            }
        }
        JsonNode spread = e.path("spread");
        if (spread.isObject()) {
            int total = 0;
            for (JsonNode v : spread) {
                total += v.asInt();
            }
            out.println();
            out.printf("next %d requests, if they arrived together now:%n", total);
            int sum = total;
            spread.fields().forEachRemaining(f -> {
                int k = f.getValue().asInt();
                out.printf(
                        "  %-16s %6d  %5.1f%%  %s%n",
                        f.getKey(),
                        k,
                        sum == 0 ? 0.0 : 100.0 * k / sum,
                        "#".repeat(sum == 0 ? 0 : (int) Math.round(40.0 * k / sum)));
            });
        }
        out.flush();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
