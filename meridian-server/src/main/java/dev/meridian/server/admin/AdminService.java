package dev.meridian.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.http.Json;
import dev.meridian.sim.RegionSimulator;
import java.util.function.Supplier;

/**
 * Operator endpoints under {@code /meridian/admin/}: the simulator's runtime switches (take a region down or
 * bring it back, shrink its capacity) and {@code explain}. Served only when the gateway listens on loopback.
 *
 * <ul>
 *   <li>{@code GET regions}: each region's state;
 *   <li>{@code POST regions/{id}/down}, {@code POST regions/{id}/up};
 *   <li>{@code PUT regions/{id}/capacity} with {@code {"capacity": N}}; {@code DELETE} restores the configured one;
 *   <li>{@code GET explain?sourceRegion=R&modelId=ID[&principal=P][&simulate=N]}.
 * </ul>
 */
public final class AdminService implements HttpService {
    public static final String PREFIX = "/meridian/admin/";

    private final RegionSimulator simulator;
    private final Gateway gateway;
    private final Supplier<Catalog> catalog;

    public AdminService(RegionSimulator simulator, Gateway gateway, Supplier<Catalog> catalog) {
        this.simulator = simulator;
        this.gateway = gateway;
        this.catalog = catalog;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenApply(agg -> {
            try {
                String[] parts = ctx.mappedPath().replaceFirst("^/", "").split("/");
                return route(req.method(), parts, agg.contentUtf8(), ctx.queryParams());
            } catch (GatewayException | IllegalArgumentException e) {
                return error(HttpStatus.BAD_REQUEST, e.getMessage());
            }
        }));
    }

    private HttpResponse route(HttpMethod method, String[] parts, String body, QueryParams query) {
        if (parts.length == 1 && parts[0].equals("regions") && method == HttpMethod.GET) {
            return regions();
        }
        if (parts.length == 1 && parts[0].equals("explain") && method == HttpMethod.GET) {
            return Json.ok(ExplanationJson.render(gateway.explain(
                    required(query, "sourceRegion"),
                    required(query, "modelId"),
                    query.get("principal"),
                    count(query, "simulate"))));
        }
        if (parts.length == 3 && parts[0].equals("regions")) {
            String region = parts[1];
            if (catalog.get().region(region).isEmpty()) {
                return error(HttpStatus.NOT_FOUND, "unknown region " + region);
            }
            switch (parts[2] + " " + method) {
                case "down POST" -> simulator.setDown(region, true);
                case "up POST" -> simulator.setDown(region, false);
                case "capacity PUT" -> simulator.setCapacity(region, capacity(body));
                case "capacity DELETE" -> simulator.setCapacity(region, null);
                default -> {
                    return error(
                            HttpStatus.NOT_FOUND,
                            "no admin operation " + method + " regions/" + region + "/" + parts[2]);
                }
            }
            return regions();
        }
        return error(HttpStatus.NOT_FOUND, "no admin operation " + method + " " + String.join("/", parts));
    }

    private HttpResponse regions() {
        ObjectNode root = Json.object();
        ArrayNode regions = root.putArray("regions");
        var status = simulator.status();
        for (Region r : catalog.get().regions().stream()
                .sorted(java.util.Comparator.comparing(Region::id))
                .toList()) {
            ObjectNode n = regions.addObject();
            n.put("region", r.id());
            n.put("displayName", r.displayName());
            n.put("down", simulator.isDown(r.id()));
            Integer override = status.capacityOverrides().get(r.id());
            if (override != null) {
                n.put("capacityOverride", override);
            }
            n.put("processed", simulator.processedIn(r.id()));
        }
        return Json.ok(root);
    }

    private static int capacity(String body) {
        try {
            JsonNode root = Json.readRequest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode n = root == null ? null : root.get("capacity");
            if (n != null && n.isIntegralNumber() && n.intValue() >= 0) {
                return n.intValue();
            }
        } catch (java.io.IOException e) {
            // reported below
        }
        throw new IllegalArgumentException("body: " + body + " (expected: {\"capacity\": <integer >= 0>})");
    }

    private static String required(QueryParams query, String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return v;
    }

    /** A whole-number query parameter, 0 when absent (the gateway checks its range). */
    private static int count(QueryParams query, String name) {
        String v = query.get(name);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter '" + name + "': " + v + " (expected: a whole number)");
        }
    }

    private static HttpResponse error(HttpStatus status, String message) {
        return Json.response(status, Json.object().put("error", message));
    }
}
