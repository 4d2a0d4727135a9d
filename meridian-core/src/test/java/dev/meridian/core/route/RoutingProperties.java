package dev.meridian.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.residency.ResidencyGuard;
import dev.meridian.core.testing.RandomCatalogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Routing never leaves the allowed set: random topologies, random per-region failures (every kind: down, throttled,
 * slow, erroring, refusing the request as invalid or unsupported) and random load, for every profile and plain model id from every source region.
 */
class RoutingProperties {

    @Property(tries = 300)
    void everyAttempt_landsInsideTheAllowedSet(@ForAll long seed) {
        Catalog catalog = RandomCatalogs.generate(seed);
        Random rnd = new Random(seed);
        LiveSignals signals = LiveSignals.create();
        Router router = Router.builder(signals, RoundTripTimes.estimate(catalog, Map.of()))
                .build();
        FailoverInvoker invoker = new FailoverInvoker(
                signals, new RetryBudget(1 + rnd.nextInt(6), Duration.ofSeconds(1), Duration.ofSeconds(5)));
        Map<String, FailureKind> failures = new HashMap<>();
        for (Region r : catalog.regions()) {
            int roll = rnd.nextInt(10);
            if (roll < 4) {
                failures.put(r.id(), FailureKind.values()[rnd.nextInt(FailureKind.values().length)]);
            }
            for (FoundationModel m : catalog.models()) {
                DestinationKey key = new DestinationKey(r.id(), m.id());
                signals.capacity(key, rnd.nextInt(5));
                for (int i = rnd.nextInt(6); i > 0; i--) {
                    signals.started(key);
                }
            }
        }
        long violationsBefore = ResidencyGuard.violationsRefused();
        int outside = 0;
        for (InvocationTarget target : targets(catalog)) {
            for (Region source : catalog.regions()) {
                AllowedDestinations allowed = DestinationRules.destinations(catalog, target, source.id());
                List<String> attempted = new ArrayList<>();
                Routed<String> routed = invoker.invoke(
                                target.model().id(),
                                allowed,
                                router.plan(allowed, target.model().id()),
                                region -> {
                                    attempted.add(region);
                                    FailureKind f = failures.get(region);
                                    return f == null
                                            ? CompletableFuture.completedFuture(region)
                                            : CompletableFuture.failedFuture(new UpstreamException(f, "injected"));
                                },
                                r -> CompletableFuture.completedFuture(1))
                        .join();
                outside += (int)
                        attempted.stream().filter(r -> !allowed.contains(r)).count();
                assertThat(new HashSet<>(attempted)).hasSameSizeAs(attempted);
                if (routed.succeeded()) {
                    assertThat(allowed.contains(routed.decision().chosenRegion()))
                            .isTrue();
                    assertThat(failures).doesNotContainKey(routed.decision().chosenRegion());
                }
            }
        }
        assertThat(outside).isZero();
        assertThat(ResidencyGuard.violationsRefused()).isEqualTo(violationsBefore);
    }

    @Property(tries = 200)
    void someAllowedRegionHealthy_andBudgetCoversAll_succeeds(@ForAll long seed) {
        Catalog catalog = RandomCatalogs.generate(seed);
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        LiveSignals signals = LiveSignals.create();
        Router router = Router.builder(signals, RoundTripTimes.estimate(catalog, Map.of()))
                .build();
        FailoverInvoker invoker =
                new FailoverInvoker(signals, new RetryBudget(100, Duration.ofSeconds(1), Duration.ofSeconds(5)));
        Map<String, Boolean> down = new HashMap<>();
        catalog.regions().forEach(r -> down.put(r.id(), rnd.nextBoolean()));
        for (InvocationTarget target : targets(catalog)) {
            for (Region source : catalog.regions()) {
                AllowedDestinations allowed = DestinationRules.destinations(catalog, target, source.id());
                Routed<String> routed = invoker.invoke(
                                target.model().id(),
                                allowed,
                                router.plan(allowed, target.model().id()),
                                region -> down.get(region)
                                        ? CompletableFuture.failedFuture(
                                                new UpstreamException(FailureKind.UNAVAILABLE, "down"))
                                        : CompletableFuture.completedFuture(region),
                                r -> CompletableFuture.completedFuture(1))
                        .join();
                boolean anyUp = allowed.regions().stream().anyMatch(r -> !down.get(r));
                assertThat(routed.succeeded()).isEqualTo(anyUp);
            }
        }
    }

    static List<InvocationTarget> targets(Catalog catalog) {
        List<InvocationTarget> targets = new ArrayList<>();
        for (InferenceProfile p : catalog.profiles()) {
            targets.add(new InvocationTarget(p.id(), catalog.model(p.modelId()).orElseThrow(), p));
        }
        for (FoundationModel m : catalog.models()) {
            targets.add(new InvocationTarget(m.id(), m, null));
        }
        return targets;
    }
}
