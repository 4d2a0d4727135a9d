package dev.meridian.bench;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.ExternalSources;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.Geography;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.route.DestinationKey;
import dev.meridian.core.route.LiveSignals;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.RouteRequest;
import dev.meridian.core.route.Router;
import dev.meridian.core.route.RoutingPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request routing work on a 30-region catalog: computing the allowed destinations of a global profile
 * (30 regions) and of an EU profile (memoized per catalog, so this is the lookup the request path pays), and
 * ranking them under live signals: the best destination (every request) and the whole order (failover). Run with
 * {@code -prof gc} for the allocation rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterBenchmark {
    static final int REGIONS = 30;
    static final String MODEL = "vendor.model-v1:0";

    Catalog catalog;
    InvocationTarget global;
    InvocationTarget eu;
    AllowedDestinations globalAllowed;
    Router router;
    final RouteRequest request = new RouteRequest(MODEL, 0x5eed, 2_000, 1_024);

    @Setup
    public void setUp() {
        List<Region> regions = new ArrayList<>();
        Set<String> all = new HashSet<>();
        Set<String> euRegions = new HashSet<>();
        for (int i = 0; i < REGIONS; i++) {
            boolean isEu = i < 10;
            String id = (isEu ? "eu-r" : "xx-r") + i;
            regions.add(new Region(
                    id,
                    "Region " + i,
                    isEu ? "DE" : "US",
                    isEu,
                    isEu ? Set.of("eu") : Set.of(),
                    -60 + 4 * i,
                    -170 + 11 * i));
            all.add(id);
            if (isEu) {
                euRegions.add(id);
            }
        }
        FoundationModel model = new FoundationModel(MODEL, "Model", "Vendor", all);
        List<InferenceProfile> profiles = List.of(
                InferenceProfile.systemDefined("global", model, "Global", all),
                InferenceProfile.systemDefined("eu", model, "EU", euRegions));
        catalog = Catalog.of(
                regions,
                List.of(new Geography("eu", "EU", Set.of(), ExternalSources.SOURCE_PLUS_MEMBERS, true)),
                List.of(model),
                profiles);
        global = new InvocationTarget(
                "global." + MODEL, model, catalog.profile("global." + MODEL).orElseThrow());
        eu = new InvocationTarget(
                "eu." + MODEL, model, catalog.profile("eu." + MODEL).orElseThrow());
        LiveSignals signals = LiveSignals.create();
        for (String r : all) {
            DestinationKey key = new DestinationKey(r, MODEL);
            signals.capacity(key, 64);
            signals.tokensPerMinute(key, 1_000_000);
            signals.started(key);
            signals.succeeded(key, 1_000_000_000L, 100);
            signals.started(key);
        }
        router = Router.builder(signals, RoundTripTimes.estimate(catalog, Map.of()))
                .build();
        signals.servedPrefix(0x5eed, "xx-r12");
        globalAllowed = DestinationRules.destinations(catalog, global, "eu-r0");
    }

    @Benchmark
    public AllowedDestinations destinations_global30() {
        return DestinationRules.destinations(catalog, global, "eu-r3");
    }

    @Benchmark
    public AllowedDestinations destinations_euFromOutside() {
        return DestinationRules.destinations(catalog, eu, "xx-r20");
    }

    @Benchmark
    public RoutingPlan plan_global30() {
        return router.plan(globalAllowed, MODEL);
    }

    /** A request with a prompt prefix and a token reservation: affinity lookup and quota check included. */
    @Benchmark
    public RoutingPlan plan_global30_withPrefixAndTokens() {
        return router.plan(globalAllowed, request);
    }

    /** The failover path: the whole order, every candidate with its signals. */
    @Benchmark
    public int plan_global30_fullOrder() {
        return router.plan(globalAllowed, MODEL).candidates().size();
    }
}
