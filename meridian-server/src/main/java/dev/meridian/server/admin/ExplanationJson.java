package dev.meridian.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.route.Candidate;
import dev.meridian.server.gateway.Explanation;
import dev.meridian.server.http.Json;

/** The JSON form of an {@link Explanation}, served by the admin API and read back by {@code meridian explain}. */
public final class ExplanationJson {
    private ExplanationJson() {}

    public static ObjectNode render(Explanation e) {
        ObjectNode root = Json.object();
        root.put("sourceRegion", e.allowed().sourceRegion());
        root.put("requestedId", e.requestedId());
        root.put("modelId", e.modelId());
        root.put("profileId", e.profileId());
        root.put("rule", e.allowed().rule());
        ArrayNode allowed = root.putArray("allowedRegions");
        e.allowed().regions().forEach(allowed::add);
        ArrayNode alternatives = root.putArray("alternatives");
        e.alternatives().forEach(alternatives::add);
        ArrayNode plan = root.putArray("plan");
        for (Candidate c : e.plan().candidates()) {
            ObjectNode n = plan.addObject();
            n.put("region", c.region());
            n.put("state", c.state().name());
            n.put("expectedLatencyMs", round(c.expectedLatencyMs()));
            n.put("rttMs", round(c.rttMs()));
            n.put("inFlight", c.signals().inFlight());
            n.put("capacity", c.signals().capacity());
            n.put("penalty", round(c.signals().penalty()));
        }
        if (e.spread() != null) {
            ObjectNode spread = root.putObject("spread");
            e.spread().forEach(spread::put);
        }
        if (e.policy() != null) {
            ObjectNode policy = root.putObject("policy");
            policy.put("principal", e.principal());
            policy.put("permitted", !e.policy().permitted().isEmpty());
            ArrayNode permitted = policy.putArray("permittedRegions");
            e.policy().permitted().forEach(permitted::add);
            ArrayNode checks = policy.putArray("checks");
            for (var d : e.policy().decisions()) {
                ObjectNode n = checks.addObject();
                n.put("resource", d.resource());
                n.put("region", d.region());
                n.put("outcome", d.decision().outcome().name());
                n.put("reason", d.decision().describe());
            }
        }
        return root;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
