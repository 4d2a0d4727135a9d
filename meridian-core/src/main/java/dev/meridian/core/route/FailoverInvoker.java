package dev.meridian.core.route;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.ResidencyGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Walks a {@link RoutingPlan}: calls the best candidate, and on a retryable failure (throttled, unreachable,
 * timed out, server error) the next, until one succeeds or the {@link RetryBudget} is spent.
 *
 * <p>Each destination is tried at most once per request, and every call passes {@link ResidencyGuard} first, so
 * a request is never processed outside its allowed set whatever the plan holds. Live signals are updated with
 * every outcome. The returned future always completes normally, with a {@link Routed} that carries either the
 * result or a caller-facing error listing each region tried and why.
 */
public final class FailoverInvoker {
    private final LiveSignals signals;
    private final RetryBudget budget;
    private final Deadlines deadlines;

    public FailoverInvoker(LiveSignals signals, RetryBudget budget) {
        this(signals, budget, Deadlines.WALL_CLOCK);
    }

    /** An invoker whose attempt timeouts fire by {@code deadlines} (the lab passes virtual-time ones). */
    public FailoverInvoker(LiveSignals signals, RetryBudget budget, Deadlines deadlines) {
        this.signals = Objects.requireNonNull(signals, "signals");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    /**
     * Runs {@code attempt} along {@code plan}.
     *
     * @param attempt starts the call at the given region; completes exceptionally with {@link UpstreamException}
     *     on failure (other exceptions count as server errors)
     * @param completion when the work behind a result is done and how much it was (output tokens plus one; 0 for
     *     work that is not inference, which leaves the destination's measured speed as it was): a
     *     completed future for whole answers, the end of the stream for streamed ones. Until then the attempt
     *     counts as in flight; an exceptional completion records a failure signal (the caller has the result
     *     already, so there is no failover after the first byte)
     */
    public <T> CompletableFuture<Routed<T>> invoke(
            String modelId,
            AllowedDestinations allowed,
            RoutingPlan plan,
            Function<String, CompletableFuture<T>> attempt,
            Function<T, CompletableFuture<Integer>> completion) {
        return invoke(RouteRequest.of(modelId), allowed, plan, attempt, completion);
    }

    /**
     * As {@link #invoke(String, AllowedDestinations, RoutingPlan, Function, Function)}, for a request of known
     * size and prompt prefix: each attempt reserves its tokens at the destination (reconciled with the real usage
     * when it is done, returned when it fails), and the region that answers is remembered for the prefix.
     */
    public <T> CompletableFuture<Routed<T>> invoke(
            RouteRequest request,
            AllowedDestinations allowed,
            RoutingPlan plan,
            Function<String, CompletableFuture<T>> attempt,
            Function<T, CompletableFuture<Integer>> completion) {
        return invoke(request, allowed, plan, attempt, completion, null);
    }

    /**
     * As {@link #invoke(RouteRequest, AllowedDestinations, RoutingPlan, Function, Function)}, for a caller that may
     * go away: once {@code callerGone} completes (null: never), the attempt in progress is given up (its future
     * failed, which gives the upstream exchange up) and no other destination is tried: the prompt goes to no more
     * regions for nobody, and no model works on. The outcome is then a {@code CALLER_GONE} error with the attempts
     * made, so the request is still audited with where it went.
     */
    public <T> CompletableFuture<Routed<T>> invoke(
            RouteRequest request,
            AllowedDestinations allowed,
            RoutingPlan plan,
            Function<String, CompletableFuture<T>> attempt,
            Function<T, CompletableFuture<Integer>> completion,
            CompletionStage<?> callerGone) {
        Execution<T> execution = new Execution<>(request, allowed, plan, attempt, completion, signals.nanoTime());
        if (callerGone != null) {
            callerGone.whenComplete((gone, failure) -> execution.abandon());
        }
        execution.next(0);
        return execution.outcome;
    }

    /**
     * A destination's answer that no other would change: a request it found invalid, or too long for the model's
     * context window, is the caller's error (with the destination's reason, which tells the caller what to fix), a
     * failure on it the model's.
     */
    private static GatewayException refusal(String region, UpstreamException failure) {
        String reason =
                failure.getMessage() == null || failure.getMessage().isEmpty() ? "." : ": " + failure.getMessage();
        return switch (failure.kind()) {
            case INVALID ->
                GatewayException.validation("The model in " + region + " found the request invalid" + reason);
            case CONTEXT_EXCEEDED ->
                GatewayException.contextWindowExceeded(
                        "The request does not fit the context window of the model in " + region + reason);
            case ABANDONED ->
                new GatewayException(ErrorKind.CALLER_GONE, "The caller went away before the request was answered.");
            default -> new GatewayException(ErrorKind.MODEL_ERROR, failure.getMessage());
        };
    }

    private final class Execution<T> {
        final RouteRequest request;
        final String modelId;
        final AllowedDestinations allowed;
        final RoutingPlan plan;
        final Function<String, CompletableFuture<T>> attempt;
        final Function<T, CompletableFuture<Integer>> completion;
        final long startNanos;
        final List<AttemptRecord> attempts = new ArrayList<>();
        final CompletableFuture<Routed<T>> outcome = new CompletableFuture<>();
        /** Set once the caller went away: no attempt starts after it. */
        volatile boolean abandoned;
        /** The attempt in progress (or the last one), given up when the caller goes away. */
        volatile CompletableFuture<T> current;

        Execution(
                RouteRequest request,
                AllowedDestinations allowed,
                RoutingPlan plan,
                Function<String, CompletableFuture<T>> attempt,
                Function<T, CompletableFuture<Integer>> completion,
                long startNanos) {
            this.request = request;
            this.modelId = request.modelId();
            this.allowed = allowed;
            this.plan = plan;
            this.attempt = attempt;
            this.completion = completion;
            this.startNanos = startNanos;
        }

        /**
         * Gives the attempt in progress up; one about to start sees the flag (both are volatile: either this sees
         * the new attempt, or the attempt sees the flag), and a request already answered or failed stays so.
         */
        void abandon() {
            abandoned = true;
            CompletableFuture<T> attempt = current;
            if (attempt != null) {
                attempt.completeExceptionally(callerWentAway());
            }
        }

        void next(int index) {
            if (abandoned) {
                fail(refusal("", callerWentAway()));
                return;
            }
            long remainingNanos = budget.totalTimeout().toNanos() - (signals.nanoTime() - startNanos);
            if (index >= plan.size() || spentAttempts() >= budget.maxAttempts() || remainingNanos <= 0) {
                fail(null);
                return;
            }
            String region = plan.region(index);
            try {
                ResidencyGuard.check(allowed, region);
            } catch (IllegalStateException violation) {
                outcome.complete(new Routed<>(
                        null, new GatewayException(ErrorKind.INTERNAL, "Routing refused."), decision(null)));
                return;
            }
            DestinationKey key = new DestinationKey(region, modelId);
            long timeoutNanos = Math.min(budget.attemptTimeout().toNanos(), remainingNanos);
            long attemptStart = signals.nanoTime();
            int reserved = request.reservedTokens();
            signals.started(key, reserved);
            CompletableFuture<T> call;
            try {
                call = attempt.apply(region);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            current = call;
            if (abandoned) {
                call.completeExceptionally(callerWentAway());
            }
            deadlines.within(call, timeoutNanos).whenComplete((result, error) -> {
                double millis = (signals.nanoTime() - attemptStart) / 1e6;
                if (error == null) {
                    attempts.add(new AttemptRecord(region, null, millis, "", true));
                    signals.servedPrefix(request.prefixKey(), region);
                    completion.apply(result).whenComplete((units, failure) -> {
                        long took = signals.nanoTime() - attemptStart;
                        if (failure == null) {
                            int used = reserved == 0 ? 0 : request.inputTokens() + Math.max(0, units - 1);
                            signals.succeeded(key, took, units, reserved, used);
                        } else {
                            signals.failed(key, classify(failure).kind(), reserved, took);
                        }
                    });
                    outcome.complete(new Routed<>(result, null, decision(region)));
                    return;
                }
                UpstreamException failure = classify(error);
                signals.failed(key, failure.kind(), reserved, signals.nanoTime() - attemptStart);
                attempts.add(new AttemptRecord(
                        region, failure.kind(), millis, failure.getMessage(), failure.reachedTheDestination()));
                if (failure.kind().retryable()) {
                    next(index + 1);
                } else {
                    fail(refusal(region, failure));
                }
            });
        }

        /**
         * Attempts that count against the retry budget: a destination that cannot do the work at all (unsupported)
         * refuses it at once (before any call, or with a server's quick "no such endpoint"), so passing it by
         * spends no attempt (with three such destinations first in a plan, a budget of three would otherwise fail a
         * request others could serve).
         */
        int spentAttempts() {
            int spent = 0;
            for (AttemptRecord a : attempts) {
                spent += a.failure() == FailureKind.UNSUPPORTED ? 0 : 1;
            }
            return spent;
        }

        void fail(GatewayException rejected) {
            outcome.complete(new Routed<>(null, rejected != null ? rejected : exhausted(), decision(null)));
        }

        GatewayException exhausted() {
            if (plan.isEmpty()) {
                return new GatewayException(
                        ErrorKind.SERVICE_UNAVAILABLE, "No destination region is allowed for this request.");
            }
            StringBuilder trail = new StringBuilder();
            for (AttemptRecord a : attempts) {
                trail.append(trail.isEmpty() ? "" : "; ").append(a.describe());
            }
            boolean allThrottled =
                    !attempts.isEmpty() && attempts.stream().allMatch(a -> a.failure() == FailureKind.THROTTLED);
            List<String> untried = plan.candidates().stream()
                    .map(Candidate::region)
                    .filter(r -> attempts.stream().noneMatch(a -> a.region().equals(r)))
                    .toList();
            String message = "No allowed destination region could process the request (allowed: "
                    + allowed.regions() + "). Tried: " + trail + "."
                    + (untried.isEmpty()
                            ? ""
                            : " Not tried (retry budget of " + budget.maxAttempts() + " attempts spent): "
                                    + String.join(", ", untried) + ".");
            boolean allTimedOut =
                    !attempts.isEmpty() && attempts.stream().allMatch(a -> a.failure() == FailureKind.TIMEOUT);
            boolean noneCould =
                    !attempts.isEmpty() && attempts.stream().allMatch(a -> a.failure() == FailureKind.UNSUPPORTED);
            ErrorKind kind = allThrottled
                    ? ErrorKind.THROTTLED
                    : allTimedOut
                            ? ErrorKind.MODEL_TIMEOUT
                            : noneCould ? ErrorKind.VALIDATION : ErrorKind.SERVICE_UNAVAILABLE;
            return new GatewayException(kind, message);
        }

        RoutingDecision decision(String chosen) {
            return new RoutingDecision(modelId, allowed, plan, attempts, chosen);
        }
    }

    private static UpstreamException callerWentAway() {
        return new UpstreamException(FailureKind.ABANDONED, "the caller went away");
    }

    private static UpstreamException classify(Throwable error) {
        Throwable cause = Failures.cause(error);
        if (cause instanceof UpstreamException upstream) {
            return upstream;
        }
        if (cause instanceof TimeoutException) {
            return new UpstreamException(FailureKind.TIMEOUT, "no answer within the attempt timeout");
        }
        return new UpstreamException(FailureKind.SERVER_ERROR, "unexpected upstream failure");
    }
}
