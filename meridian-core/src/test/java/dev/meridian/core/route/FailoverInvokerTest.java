package dev.meridian.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.residency.AllowedDestinations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FailoverInvokerTest {
    static final AllowedDestinations ALLOWED = new AllowedDestinations("a", Set.of("a", "b", "c"), "test");
    final LiveSignals signals = LiveSignals.create();

    static RoutingPlan plan(String... regions) {
        List<Candidate> c = new ArrayList<>();
        for (String r : regions) {
            c.add(new Candidate(r, CandidateState.AVAILABLE, 1, 1, new SignalSnapshot(0, 0, Double.NaN, 0, false)));
        }
        return new RoutingPlan(c);
    }

    Routed<String> run(RetryBudget budget, RoutingPlan plan, Map<String, FailureKind> failures, List<String> tried) {
        return new FailoverInvoker(signals, budget)
                .invoke(
                        "m",
                        ALLOWED,
                        plan,
                        region -> {
                            tried.add(region);
                            FailureKind f = failures.get(region);
                            return f == null
                                    ? CompletableFuture.completedFuture("ok from " + region)
                                    : CompletableFuture.failedFuture(new UpstreamException(f, "sim"));
                        },
                        result -> CompletableFuture.completedFuture(1))
                .join();
    }

    @Test
    void invoke_firstFails_triesNextAndReportsTheTrail() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("a", "b", "c"), Map.of("a", FailureKind.THROTTLED), tried);
        assertThat(r.result()).isEqualTo("ok from b");
        assertThat(r.decision().chosenRegion()).isEqualTo("b");
        assertThat(r.decision().attempts())
                .extracting(AttemptRecord::failure)
                .containsExactly(FailureKind.THROTTLED, null);
    }

    /**
     * The trail keeps whether each attempt reached its destination: one that failed before anything was sent (passed
     * by, or its connection refused) did not, so the audit does not name its region as one the prompt went to.
     */
    @Test
    void invoke_recordsWhetherEachAttemptReachedItsDestination() {
        Routed<String> r = new FailoverInvoker(signals, RetryBudget.DEFAULT)
                .invoke(
                        "m",
                        ALLOWED,
                        plan("a", "b", "c"),
                        region -> switch (region) {
                            case "a" ->
                                CompletableFuture.failedFuture(
                                        UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "refused"));
                            case "b" ->
                                CompletableFuture.failedFuture(new UpstreamException(FailureKind.TIMEOUT, "slow"));
                            default -> CompletableFuture.completedFuture("ok from " + region);
                        },
                        result -> CompletableFuture.completedFuture(1))
                .join();
        assertThat(r.result()).isEqualTo("ok from c");
        assertThat(r.decision().attempts())
                .extracting(AttemptRecord::region, AttemptRecord::reached)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", false),
                        org.assertj.core.groups.Tuple.tuple("b", true),
                        org.assertj.core.groups.Tuple.tuple("c", true));
    }

    @Test
    void invoke_regionOutsideAllowedInPlan_isNeverCalled() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("x"), Map.of(), tried);
        assertThat(tried).isEmpty();
        assertThat(r.error().kind()).isEqualTo(ErrorKind.INTERNAL);
    }

    /** A destination that cannot do the work at all (no tokenizer to count with) is passed by without a penalty. */
    @Test
    void invoke_unsupportedAtFirst_triesNextWithoutPenalisingIt() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("a", "b", "c"), Map.of("a", FailureKind.UNSUPPORTED), tried);
        assertThat(r.result()).isEqualTo("ok from b");
        assertThat(signals.snapshot(new DestinationKey("a", "m")).penalty()).isZero();
        assertThat(signals.snapshot(new DestinationKey("a", "m")).inFlight()).isZero();
    }

    /** Passing by destinations that cannot do the work spends none of the retry budget. */
    @Test
    void invoke_unsupportedDestinations_spendNoAttempt() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(
                new RetryBudget(1, Duration.ofSeconds(5), Duration.ofSeconds(10)),
                plan("a", "b", "c"),
                Map.of("a", FailureKind.UNSUPPORTED, "b", FailureKind.UNSUPPORTED),
                tried);
        assertThat(r.result()).isEqualTo("ok from c");
        assertThat(tried).containsExactly("a", "b", "c");
    }

    /** Work that is not inference (a token count: no units) leaves the destination's measured speed as it was. */
    @Test
    void invoke_completedWithoutUnits_leavesTheLatencySignalAlone() {
        DestinationKey a = new DestinationKey("a", "m");
        signals.started(a, 0);
        signals.succeeded(a, 40_000_000, 10);
        double before = signals.snapshot(a).ewmaLatencyMs();
        Routed<String> r = new FailoverInvoker(signals, RetryBudget.DEFAULT)
                .invoke(
                        "m",
                        ALLOWED,
                        plan("a"),
                        region -> CompletableFuture.completedFuture("counted"),
                        result -> CompletableFuture.completedFuture(0))
                .join();
        assertThat(r.result()).isEqualTo("counted");
        assertThat(signals.snapshot(a).ewmaLatencyMs()).isEqualTo(before);
        assertThat(signals.snapshot(a).inFlight()).isZero();
    }

    @Test
    void invoke_noneSupported_isTheCallersValidationErrorNamingEach() {
        Routed<String> r = run(
                RetryBudget.DEFAULT,
                plan("a", "b"),
                Map.of("a", FailureKind.UNSUPPORTED, "b", FailureKind.UNSUPPORTED),
                new ArrayList<>());
        assertThat(r.error().kind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(r.error().getMessage()).contains("a (unsupported: sim)", "b (unsupported: sim)");
    }

    @Test
    void invoke_allThrottled_isThrottlingError() {
        Routed<String> r = run(
                RetryBudget.DEFAULT,
                plan("a", "b", "c"),
                Map.of("a", FailureKind.THROTTLED, "b", FailureKind.THROTTLED, "c", FailureKind.THROTTLED),
                new ArrayList<>());
        assertThat(r.error().kind()).isEqualTo(ErrorKind.THROTTLED);
    }

    @Test
    void invoke_budgetSpent_namesUntriedRegions() {
        RetryBudget two = new RetryBudget(2, Duration.ofSeconds(1), Duration.ofSeconds(2));
        List<String> tried = new ArrayList<>();
        Routed<String> r =
                run(two, plan("a", "b", "c"), Map.of("a", FailureKind.UNAVAILABLE, "b", FailureKind.TIMEOUT), tried);
        assertThat(tried).containsExactly("a", "b");
        assertThat(r.error().kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
        assertThat(r.error().getMessage()).contains("a (down: sim)", "b (timed out: sim)", "Not tried", "c");
    }

    @Test
    void invoke_rejected_doesNotFailOver() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("a", "b"), Map.of("a", FailureKind.REJECTED), tried);
        assertThat(tried).containsExactly("a");
        assertThat(r.error().kind()).isEqualTo(ErrorKind.MODEL_ERROR);
    }

    @Test
    void invoke_invalid_isTheCallersErrorWithTheDestinationsReason_withoutFailoverOrPenalty() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("a", "b"), Map.of("a", FailureKind.INVALID), tried);
        assertThat(tried).containsExactly("a");
        assertThat(r.error().kind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(r.error().getMessage()).startsWith("The model in a found the request invalid: ");
        assertThat(r.decision().attempts().get(0).describe()).startsWith("a (invalid: ");
        assertThat(signals.snapshot(new DestinationKey("a", "m")).penalty()).isZero();
    }

    @Test
    void invoke_contextExceeded_isTheCallersErrorUnderItsOwnName_withoutFailover() {
        List<String> tried = new ArrayList<>();
        Routed<String> r = run(RetryBudget.DEFAULT, plan("a", "b"), Map.of("a", FailureKind.CONTEXT_EXCEEDED), tried);
        assertThat(tried).containsExactly("a");
        assertThat(r.error().kind()).isEqualTo(ErrorKind.CONTEXT_WINDOW_EXCEEDED);
        assertThat(r.error().parameter()).isEqualTo("messages");
        assertThat(r.error().getMessage())
                .isEqualTo("The request does not fit the context window of the model in a: sim");
        assertThat(signals.snapshot(new DestinationKey("a", "m")).penalty()).isZero();
    }

    /** Runs against destinations that never answer, with {@code callerGone}; the attempts' futures in order. */
    List<CompletableFuture<String>> stalled(CompletableFuture<Void> callerGone, List<Routed<String>> outcome) {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        new FailoverInvoker(signals, RetryBudget.DEFAULT)
                .invoke(
                        RouteRequest.of("m"),
                        ALLOWED,
                        plan("a", "b", "c"),
                        region -> {
                            CompletableFuture<String> call = new CompletableFuture<>();
                            calls.add(call);
                            return call;
                        },
                        x -> CompletableFuture.completedFuture(1),
                        callerGone)
                .thenAccept(outcome::add);
        return calls;
    }

    @Test
    void invoke_callerGoneMidAttempt_givesTheAttemptUp_triesNoOther_andKeepsTheTrail() {
        CompletableFuture<Void> callerGone = new CompletableFuture<>();
        List<Routed<String>> outcome = new ArrayList<>();
        List<CompletableFuture<String>> calls = stalled(callerGone, outcome);
        assertThat(calls).hasSize(1);

        callerGone.complete(null);

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).isCompletedExceptionally();
        Routed<String> r = outcome.get(0);
        assertThat(r.error().kind()).isEqualTo(ErrorKind.CALLER_GONE);
        assertThat(r.decision().attempts()).singleElement().satisfies(a -> {
            assertThat(a.region()).isEqualTo("a");
            assertThat(a.failure()).isEqualTo(FailureKind.ABANDONED);
        });
        SignalSnapshot a = signals.snapshot(new DestinationKey("a", "m"));
        assertThat(a.inFlight()).isZero();
        assertThat(a.penalty()).as("says nothing of the destination").isZero();
    }

    @Test
    void invoke_callerGoneBefore_triesNothing() {
        List<Routed<String>> outcome = new ArrayList<>();
        assertThat(stalled(CompletableFuture.completedFuture(null), outcome)).isEmpty();
        assertThat(outcome.get(0).error().kind()).isEqualTo(ErrorKind.CALLER_GONE);
        assertThat(outcome.get(0).decision().attempts()).isEmpty();
    }

    @Test
    void invoke_callerGoneAfterTheAnswer_leavesItAsItWas() {
        CompletableFuture<Void> callerGone = new CompletableFuture<>();
        List<Routed<String>> outcome = new ArrayList<>();
        List<CompletableFuture<String>> calls = stalled(callerGone, outcome);
        calls.get(0).complete("answered");
        callerGone.complete(null);
        assertThat(outcome.get(0).result()).isEqualTo("answered");
        assertThat(calls).hasSize(1);
    }

    @Test
    void invoke_attemptTimesOut_failsOverAndBalancesInFlight() {
        RetryBudget fast = new RetryBudget(3, Duration.ofMillis(50), Duration.ofSeconds(5));
        Routed<String> r = new FailoverInvoker(signals, fast)
                .invoke(
                        "m",
                        ALLOWED,
                        plan("a", "b"),
                        region -> region.equals("a")
                                ? new CompletableFuture<>()
                                : CompletableFuture.completedFuture("ok"),
                        x -> CompletableFuture.completedFuture(1))
                .join();
        assertThat(r.decision().chosenRegion()).isEqualTo("b");
        assertThat(r.decision().attempts().get(0).failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(signals.snapshot(new DestinationKey("a", "m")).inFlight()).isZero();
    }
}
