package dev.meridian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.Region;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.route.RetryBudget;
import dev.meridian.core.testing.RandomCatalogs;
import dev.meridian.server.Wiring;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.sim.ServingProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The whole request path (resolve, destinations, router, failover, simulated providers) under concurrent load
 * (invocations, and token counts, which send the prompt to a destination too) on random topologies, with regions
 * failing and shrinking while requests are in flight: the simulator reports where each request was processed, and
 * none may be outside its allowed set.
 */
class GatewayResidencyProperties {

    @Property(tries = 25)
    void concurrentLoadWithFaults_processesNothingOutsideTheAllowedSet(@ForAll long seed) {
        Catalog catalog = RandomCatalogs.generate(seed);
        Random rnd = new Random(seed);
        List<Region> regions = new ArrayList<>(catalog.regions());
        MeridianConfig config = new MeridianConfig(
                new MeridianConfig.Server(
                        "127.0.0.1",
                        0,
                        regions.get(0).id(),
                        "111122223333",
                        1 << 20,
                        1000,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(15),
                        Duration.ZERO,
                        dev.meridian.server.TestGateways.freshDirectory(),
                        null),
                catalog,
                Map.of(),
                new RetryBudget(1 + rnd.nextInt(5), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new MeridianConfig.Simulator(0.002, new ServingProfile(1 + rnd.nextInt(4), 50, 5000, 400), Map.of()),
                new AuthSettings(List.of(), List.of(), Duration.ofMinutes(15), true),
                List.of());
        AtomicInteger outside = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        try (Wiring wiring = Wiring.of(config)) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            catalog.profiles().forEach(p -> ids.add(p.id()));
            catalog.models().forEach(m -> ids.add(m.id()));
            Map<Long, Expected> byCall = new java.util.concurrent.ConcurrentHashMap<>();
            wiring.simulator().onProcessed(done -> {
                processed.incrementAndGet();
                long call =
                        Long.parseLong(done.request().messages().get(0).text().substring("question ".length()));
                Expected e = byCall.get(call);
                if (!e.source.equals(done.sourceRegion())
                        || !e.model.equals(done.modelId())
                        || !e.allowed.contains(done.region())) {
                    outside.incrementAndGet();
                }
            });
            for (int i = 0; i < 200; i++) {
                if (rnd.nextInt(10) == 0) {
                    Region r = regions.get(rnd.nextInt(regions.size()));
                    wiring.simulator().setDown(r.id(), rnd.nextBoolean());
                }
                if (rnd.nextInt(15) == 0) {
                    wiring.simulator()
                            .setCapacity(
                                    regions.get(rnd.nextInt(regions.size())).id(), rnd.nextInt(3));
                }
                String source = regions.get(rnd.nextInt(regions.size())).id();
                String id = ids.get(rnd.nextInt(ids.size()));
                InferenceProfile p = catalog.profile(id).orElse(null);
                var model = catalog.model(p != null ? p.modelId() : id).orElseThrow();
                var allowed = DestinationRules.destinations(catalog, new InvocationTarget(id, model, p), source)
                        .regions();
                Expected e = new Expected(source, model.id(), allowed);
                byCall.put((long) i, e);
                try {
                    Caller caller = new Caller("p", source);
                    calls.add(
                            rnd.nextInt(4) == 0
                                    ? wiring.gateway()
                                            .countTokens(caller, id, request(i), RouteTrace.NONE)
                                            .thenAccept(count -> {
                                                if (count.routed().succeeded()) {
                                                    assertThat(allowed).contains(count.inferenceRegion());
                                                }
                                            })
                                    : wiring.gateway()
                                            .converse(caller, id, request(i))
                                            .thenAccept(inv -> {
                                                if (inv.routed().succeeded()) {
                                                    assertThat(allowed).contains(inv.inferenceRegion());
                                                }
                                            }));
                } catch (GatewayException refused) {
                    assertThat(allowed).isEmpty();
                }
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        }
        assertThat(outside.get()).isZero();
        TOTAL_PROCESSED.addAndGet(processed.get());
    }

    static final java.util.concurrent.atomic.AtomicLong TOTAL_PROCESSED = new java.util.concurrent.atomic.AtomicLong();

    @net.jqwik.api.lifecycle.AfterContainer
    static void somethingWasActuallyProcessed() {
        assertThat(TOTAL_PROCESSED.get())
                .as("requests processed across all tries")
                .isGreaterThan(100);
    }

    record Expected(String source, String model, java.util.Set<String> allowed) {}

    static ChatRequest request(int i) {
        return new ChatRequest(
                List.of(), List.of(Message.text(Role.USER, "question " + i)), InferenceParams.DEFAULTS, Map.of());
    }
}
