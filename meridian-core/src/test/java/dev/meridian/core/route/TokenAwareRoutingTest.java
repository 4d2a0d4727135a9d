package dev.meridian.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.testing.EuropeCatalog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token-aware admission, prompt-cache affinity and flap damping in the router and the live signals. */
class TokenAwareRoutingTest {
    static final Catalog CATALOG = EuropeCatalog.create();
    static final String MODEL = EuropeCatalog.MODEL;
    static final DestinationKey MILAN = new DestinationKey("eu-south-1", MODEL);

    final AtomicLong clock = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    final LiveSignals signals = LiveSignals.withTicker(clock::get);
    final Router router =
            Router.builder(signals, RoundTripTimes.estimate(CATALOG, Map.of())).build();

    static AllowedDestinations euFrom(String source) {
        return EuropeCatalog.euFrom(CATALOG, source);
    }

    String first(RouteRequest request) {
        return router.plan(euFrom("eu-south-1"), request).candidates().get(0).region();
    }

    CandidateState milanState(RouteRequest request) {
        return router.plan(euFrom("eu-south-1"), request).candidates().stream()
                .filter(c -> c.region().equals("eu-south-1"))
                .findFirst()
                .orElseThrow()
                .state();
    }

    /** Several answers to one request (OpenAI's n) claim the prompt and the output limit once per answer. */
    @Test
    void quota_severalAnswersClaimTokensForEach() {
        signals.tokensPerMinute(MILAN, 10_000);
        signals.started(MILAN, 6_000);
        RouteRequest one = new RouteRequest(MODEL, 0, 500, 1_000);
        assertThat(one.times(1)).isSameAs(one);
        assertThat(one.times(3).reservedTokens()).isEqualTo(4_500);
        assertThat(milanState(one)).isEqualTo(CandidateState.AVAILABLE);
        assertThat(milanState(one.times(3))).isEqualTo(CandidateState.SATURATED);
        assertThat(new RouteRequest(MODEL, 0, Integer.MAX_VALUE / 2, 1)
                        .times(128)
                        .reservedTokens())
                .as("saturates, never wraps around")
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void quota_requestThatDoesNotFit_countsTheRegionAsSaturated_aSmallOneDoesNot() {
        signals.tokensPerMinute(MILAN, 10_000);
        signals.started(MILAN, 6_000);
        assertThat(milanState(new RouteRequest(MODEL, 0, 1_000, 2_000))).isEqualTo(CandidateState.AVAILABLE);
        assertThat(milanState(new RouteRequest(MODEL, 0, 1_000, 4_000))).isEqualTo(CandidateState.SATURATED);
        assertThat(first(new RouteRequest(MODEL, 0, 1_000, 4_000))).isNotEqualTo("eu-south-1");
        assertThat(signals.snapshot(MILAN).utilization())
                .as("the quota share counts as load")
                .isEqualTo(0.6);
    }

    @Test
    void quota_reservationIsReconciledWithActualUsage() {
        signals.tokensPerMinute(MILAN, 10_000);
        signals.started(MILAN, 9_000);
        assertThat(signals.snapshot(MILAN).tokensLastMinute()).isEqualTo(9_000);
        assertThat(milanState(new RouteRequest(MODEL, 0, 1_000, 4_000))).isEqualTo(CandidateState.SATURATED);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        signals.succeeded(MILAN, TimeUnit.SECONDS.toNanos(3), 101, 9_000, 1_100);
        assertThat(signals.snapshot(MILAN).tokensLastMinute()).isEqualTo(1_100);
        assertThat(milanState(new RouteRequest(MODEL, 0, 1_000, 4_000))).isEqualTo(CandidateState.AVAILABLE);
    }

    @Test
    void quota_failedRequestGivesItsReservationBack_andTheWindowForgetsAfterAMinute() {
        signals.tokensPerMinute(MILAN, 10_000);
        signals.started(MILAN, 9_000);
        signals.failed(MILAN, FailureKind.THROTTLED, 9_000, 0);
        assertThat(signals.snapshot(MILAN).tokensLastMinute()).isZero();
        signals.started(MILAN, 5_000);
        signals.succeeded(MILAN, 1_000_000, 11, 5_000, 5_000);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        assertThat(signals.snapshot(MILAN).tokensLastMinute()).isZero();
    }

    @Test
    void failoverInvoker_reservesAndReconcilesForEachAttempt() {
        signals.tokensPerMinute(MILAN, 100_000);
        FailoverInvoker invoker =
                new FailoverInvoker(signals, new RetryBudget(2, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        AllowedDestinations allowed = euFrom("eu-south-1");
        RouteRequest request = new RouteRequest(MODEL, 42, 2_000, 4_000);
        var routed = invoker.invoke(
                        request,
                        allowed,
                        router.plan(allowed, request),
                        region -> CompletableFuture.completedFuture(region),
                        region -> CompletableFuture.completedFuture(301))
                .join();
        assertThat(routed.decision().chosenRegion()).isEqualTo("eu-south-1");
        assertThat(signals.snapshot(MILAN).tokensLastMinute()).isEqualTo(2_000 + 300);
        assertThat(signals.snapshot(MILAN).inFlight()).isZero();
        assertThat(signals.prefixRegion(42)).isEqualTo("eu-south-1");
    }

    @Test
    void affinity_warmRegionWinsWhileItHasHeadroom() {
        for (String r : euFrom("eu-south-1").regions()) {
            signals.capacity(new DestinationKey(r, MODEL), 10);
        }
        DestinationKey paris = new DestinationKey("eu-west-3", MODEL);
        signals.servedPrefix(7, "eu-west-3");
        RouteRequest longPrompt = new RouteRequest(MODEL, 7, 8_000, 500);
        assertThat(first(longPrompt)).isEqualTo("eu-west-3");
        assertThat(first(new RouteRequest(MODEL, 8, 8_000, 500)))
                .as("another conversation")
                .isEqualTo("eu-south-1");
        assertThat(first(new RouteRequest(MODEL, 7, 10, 500)))
                .as("a tiny prompt saves too little prefill to be worth the detour")
                .isEqualTo("eu-south-1");
        for (int i = 0; i < 8; i++) {
            signals.started(paris);
        }
        assertThat(first(longPrompt)).as("above the headroom, load wins").isEqualTo("eu-south-1");
    }

    @Test
    void affinity_off_ignoresTheWarmRegion() {
        Router cold = Router.builder(signals, RoundTripTimes.estimate(CATALOG, Map.of()))
                .affinityMillisPerToken(0)
                .build();
        signals.servedPrefix(7, "eu-west-3");
        assertThat(cold.plan(euFrom("eu-south-1"), new RouteRequest(MODEL, 7, 8_000, 500))
                        .candidates()
                        .get(0)
                        .region())
                .isEqualTo("eu-south-1");
    }

    @Test
    void prefixAffinity_isBounded_andKeepsRecentEntries() {
        PrefixAffinity affinity = new PrefixAffinity(4);
        for (long k = 1; k <= 10; k++) {
            affinity.remember(k, "r" + k);
        }
        assertThat(affinity.region(10)).isEqualTo("r10");
        assertThat(affinity.region(9)).isEqualTo("r9");
        assertThat(affinity.region(1)).isNull();
        assertThat(affinity.region(0)).isNull();
    }

    @Test
    void flapDamping_aRegionWhoseCircuitKeepsOpening_staysBehindAfterItsPenaltyDecays() {
        for (int flap = 0; flap < 2; flap++) {
            for (int i = 0; i < LiveSignals.CIRCUIT_THRESHOLD; i++) {
                signals.started(MILAN);
                signals.failed(MILAN, FailureKind.UNAVAILABLE);
            }
            clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
        }
        assertThat(signals.snapshot(MILAN).penalty()).isLessThan(0.01);
        assertThat(signals.snapshot(MILAN).flapScore()).isGreaterThan(1.5);
        assertThat(first(RouteRequest.of(MODEL))).isNotEqualTo("eu-south-1");
        clock.addAndGet(TimeUnit.MINUTES.toNanos(60));
        assertThat(first(RouteRequest.of(MODEL))).as("forgiven after an hour").isEqualTo("eu-south-1");
    }

    @Test
    void loadReport_isExtrapolatedWithThisGatewaysShareOfTheLoad_untilTheNextReport() {
        signals.capacity(MILAN, 100);
        for (int i = 0; i < 10; i++) {
            signals.started(MILAN);
        }
        signals.reported(MILAN, 0.30);
        assertThat(signals.snapshot(MILAN).reportedUtilization())
                .as("30 running there, 10 of them ours")
                .isEqualTo(0.30);
        for (int i = 0; i < 5; i++) {
            signals.started(MILAN);
        }
        assertThat(signals.snapshot(MILAN).reportedUtilization())
                .as("we added 5; our peers (twice our load) are assumed to have added 10")
                .isCloseTo(0.45, org.assertj.core.data.Offset.offset(1e-9));
        for (int i = 0; i < 15; i++) {
            signals.succeeded(MILAN, 1_000_000, 10);
        }
        assertThat(signals.snapshot(MILAN).reportedUtilization())
                .as("never below zero")
                .isZero();
        signals.reported(MILAN, 0.9);
        assertThat(signals.snapshot(MILAN).reportedUtilization())
                .as("nothing of ours in flight: the report as it is")
                .isEqualTo(0.9);
        clock.addAndGet(LiveSignals.REPORT_TTL_NANOS);
        assertThat(signals.snapshot(MILAN).reportedUtilization()).as("stale").isNaN();
    }

    @Test
    void routeRequest_forChat_keysOnSystemAndFirstMessage_andReservesTheOutputLimit() {
        var params = new dev.meridian.core.chat.InferenceParams(512, null, null, java.util.List.of());
        var first = dev.meridian.core.chat.Message.text(dev.meridian.core.chat.Role.USER, "x".repeat(400));
        var answer = dev.meridian.core.chat.Message.text(dev.meridian.core.chat.Role.ASSISTANT, "ok");
        var next = dev.meridian.core.chat.Message.text(dev.meridian.core.chat.Role.USER, "and then?");
        var turn1 = new dev.meridian.core.chat.ChatRequest(
                java.util.List.of("You are terse."), java.util.List.of(first), params, Map.of());
        var turn2 = new dev.meridian.core.chat.ChatRequest(
                java.util.List.of("You are terse."), java.util.List.of(first, answer, next), params, Map.of());
        var model = new dev.meridian.core.catalog.FoundationModel(MODEL, "M", "V", java.util.Set.of("r-1"));
        RouteRequest a = RouteRequest.forChat(model, turn1);
        RouteRequest b = RouteRequest.forChat(model, turn2);
        assertThat(a.prefixKey()).isNotZero().isEqualTo(b.prefixKey());
        assertThat(a.inputTokens()).isEqualTo((14 + 400) / 4);
        assertThat(a.maxOutputTokens()).isEqualTo(512);
        var noLimit = new dev.meridian.core.chat.ChatRequest(
                java.util.List.of(),
                java.util.List.of(next),
                dev.meridian.core.chat.InferenceParams.DEFAULTS,
                Map.of());
        assertThat(RouteRequest.forChat(model, noLimit).maxOutputTokens())
                .isEqualTo(RouteRequest.DEFAULT_MAX_OUTPUT_TOKENS);
        var small = new dev.meridian.core.catalog.FoundationModel(MODEL, "M", "V", java.util.Set.of("r-1"), 1000);
        assertThat(RouteRequest.forChat(small, noLimit).maxOutputTokens())
                .as("no limit asked: the model's own limit when it is below the default")
                .isEqualTo(1000);
        assertThat(RouteRequest.forChat(small, turn1).maxOutputTokens()).isEqualTo(512);
    }
}
