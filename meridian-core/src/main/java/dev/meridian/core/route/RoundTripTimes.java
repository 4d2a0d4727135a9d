package dev.meridian.core.route;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.Region;
import java.util.HashMap;
import java.util.Map;

/**
 * Network round-trip times between regions, in milliseconds.
 *
 * <p>Estimated from great-circle distance: light in fibre covers about 200 km per millisecond one way, real
 * routes are about 1.5x longer than the geodesic, and every path pays a small fixed cost. So
 * {@code rtt = 1 ms + 2 * 1.5 * distance / 200 km/ms}; Frankfurt to Milan comes out near 8 ms, Frankfurt to
 * Virginia near 100 ms, which is within the spread of published inter-region measurements. Explicit overrides
 * (measured values) win over the estimate.
 */
public final class RoundTripTimes {
    private static final double EARTH_RADIUS_KM = 6371.0;
    private static final double FIXED_MS = 1.0;
    private static final double KM_PER_MS_ONE_WAY = 200.0;
    private static final double ROUTE_STRETCH = 1.5;

    private final Map<String, Double> millisByPair;
    /** The same data by source, then destination: the router's lookups allocate nothing. */
    private final Map<String, Map<String, Double>> millisBySource;

    private RoundTripTimes(Map<String, Double> millisByPair) {
        this.millisByPair = millisByPair;
        Map<String, Map<String, Double>> bySource = new HashMap<>();
        millisByPair.forEach((pair, millis) -> {
            int bar = pair.indexOf('|');
            bySource.computeIfAbsent(pair.substring(0, bar), k -> new HashMap<>())
                    .put(pair.substring(bar + 1), millis);
        });
        Map<String, Map<String, Double>> frozen = new HashMap<>();
        bySource.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
        this.millisBySource = Map.copyOf(frozen);
    }

    /** Estimates every pair of the catalog's regions, then applies {@code overrides} ("a|b" to millis). */
    public static RoundTripTimes estimate(Catalog catalog, Map<String, Double> overrides) {
        Map<String, Double> pairs = new HashMap<>();
        for (Region a : catalog.regions()) {
            for (Region b : catalog.regions()) {
                pairs.put(key(a.id(), b.id()), estimateMillis(a, b));
            }
        }
        overrides.forEach((pair, millis) -> {
            String[] ab = pair.split("\\|");
            pairs.put(key(ab[0], ab[1]), millis);
            pairs.put(key(ab[1], ab[0]), millis);
        });
        return new RoundTripTimes(Map.copyOf(pairs));
    }

    /** The estimated round trip between two regions (0.5 ms inside one region). */
    public static double estimateMillis(Region a, Region b) {
        if (a.id().equals(b.id())) {
            return 0.5;
        }
        double lat1 = Math.toRadians(a.latitude());
        double lat2 = Math.toRadians(b.latitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        double km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
        return FIXED_MS + 2 * ROUTE_STRETCH * km / KM_PER_MS_ONE_WAY;
    }

    /** The round trip between two known regions; 250 ms (a pessimistic intercontinental value) if unknown. */
    public double millis(String from, String to) {
        Map<String, Double> row = millisBySource.get(from);
        Double millis = row == null ? null : row.get(to);
        return millis == null ? 250.0 : millis;
    }

    private static String key(String a, String b) {
        return a + "|" + b;
    }
}
