package dev.meridian.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.testing.EuropeCatalog;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouterTest {
    static final Catalog CATALOG = EuropeCatalog.create();
    static final String MODEL = EuropeCatalog.MODEL;

    final AtomicLong clock = new AtomicLong();
    final LiveSignals signals = LiveSignals.withTicker(clock::get);
    final Router router =
            Router.builder(signals, RoundTripTimes.estimate(CATALOG, Map.of())).build();

    static AllowedDestinations euFrom(String source) {
        return EuropeCatalog.euFrom(CATALOG, source);
    }

    @Test
    void plan_idle_prefersTheNearestRegion() {
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isEqualTo("eu-south-1");
        assertThat(router.plan(euFrom("eu-west-2"), MODEL).candidates().get(0).region())
                .isEqualTo("eu-west-2");
    }

    @Test
    void plan_containsExactlyTheAllowedRegions() {
        AllowedDestinations allowed = euFrom("us-east-1");
        assertThat(router.plan(allowed, MODEL).candidates())
                .extracting(Candidate::region)
                .containsExactlyInAnyOrderElementsOf(allowed.regions());
    }

    @Test
    void plan_nearestFillsUp_spillsToTheNextRegion() {
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        signals.capacity(milan, 10);
        for (int i = 0; i < 8; i++) {
            signals.started(milan);
        }
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isNotEqualTo("eu-south-1");
    }

    @Test
    void spread_fillsTheNearestRegionThenSpillsAndNeverLeavesTheAllowedSet() {
        AllowedDestinations allowed = euFrom("eu-south-1");
        for (String region : allowed.regions()) {
            signals.capacity(new DestinationKey(region, MODEL), 10);
        }
        Map<String, Integer> spread = router.spread(allowed, MODEL, 35);
        assertThat(spread.keySet()).containsExactlyInAnyOrderElementsOf(allowed.regions());
        assertThat(spread.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(35);
        assertThat(spread.get("eu-south-1"))
                .as("the nearest region takes the most, up to its capacity")
                .isBetween(8, 10)
                .isEqualTo(spread.values().stream()
                        .mapToInt(Integer::intValue)
                        .max()
                        .orElseThrow());
        assertThat(spread.values()).allMatch(v -> v <= 10);
        assertThat(spread.values().stream().filter(v -> v > 0).count())
                .as("then load spills over several regions")
                .isGreaterThan(2);
        assertThat(signals.snapshot(new DestinationKey("eu-south-1", MODEL)).inFlight())
                .as("simulating changes no live signal")
                .isZero();
    }

    @Test
    void plan_saturated_goesBehindAvailable() {
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        signals.capacity(milan, 1);
        signals.started(milan);
        var plan = router.plan(euFrom("eu-south-1"), MODEL).candidates();
        assertThat(plan.get(plan.size() - 1).region()).isEqualTo("eu-south-1");
        assertThat(plan.get(plan.size() - 1).state()).isEqualTo(CandidateState.SATURATED);
    }

    @Test
    void plan_afterRepeatedConnectFailures_circuitOpensThenCloses() {
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        for (int i = 0; i < LiveSignals.CIRCUIT_THRESHOLD; i++) {
            signals.started(milan);
            signals.failed(milan, FailureKind.UNAVAILABLE);
        }
        var last = router.plan(euFrom("eu-south-1"), MODEL).candidates().get(3);
        assertThat(last.region()).isEqualTo("eu-south-1");
        assertThat(last.state()).isEqualTo(CandidateState.CIRCUIT_OPEN);

        clock.addAndGet(LiveSignals.CIRCUIT_OPEN_NANOS + 12 * LiveSignals.FLAP_HALF_LIFE_NANOS);
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .as("closed, and its flap score (one opening) decayed")
                .isEqualTo("eu-south-1");
    }

    @Test
    void plan_throttlePenalty_decaysWithTime() {
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        signals.started(milan);
        signals.failed(milan, FailureKind.THROTTLED);
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isNotEqualTo("eu-south-1");

        clock.addAndGet(20 * LiveSignals.PENALTY_HALF_LIFE_NANOS);
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isEqualTo("eu-south-1");
    }

    @Test
    void roundTrips_estimate_isPlausible() {
        var rtt = RoundTripTimes.estimate(CATALOG, Map.of());
        assertThat(rtt.millis("eu-central-1", "eu-south-1")).isBetween(3.0, 15.0);
        assertThat(rtt.millis("eu-central-1", "us-east-1")).isBetween(70.0, 130.0);
        assertThat(rtt.millis("eu-central-1", "eu-central-1")).isLessThan(1.0);
    }

    @Test
    void plan_longAnswersElsewhere_doNotMakeARegionLookSlow() {
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        signals.started(milan);
        signals.succeeded(milan, 2_000_000_000L, 201); // 2 s for 200 tokens: 10 ms per token
        DestinationKey frankfurt = new DestinationKey("eu-central-1", MODEL);
        signals.started(frankfurt);
        signals.succeeded(frankfurt, 200_000_000L, 11); // 0.2 s for 10 tokens: 20 ms per token
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isEqualTo("eu-south-1");
    }

    @Test
    void plan_slowRegion_losesToFasterOnes() {
        for (String r : new String[] {"eu-central-1", "eu-west-1", "eu-west-3"}) {
            DestinationKey k = new DestinationKey(r, MODEL);
            signals.started(k);
            signals.succeeded(k, 1_000_000_000L, 101);
        }
        DestinationKey milan = new DestinationKey("eu-south-1", MODEL);
        signals.started(milan);
        signals.succeeded(milan, 3_000_000_000L, 101);
        assertThat(router.plan(euFrom("eu-south-1"), MODEL).candidates().get(0).region())
                .isEqualTo("eu-central-1");
    }
}
