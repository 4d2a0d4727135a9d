package dev.meridian.server.gateway;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.route.FailoverInvoker;
import dev.meridian.core.route.RouteRequest;
import dev.meridian.core.route.Routed;
import dev.meridian.core.route.Router;
import dev.meridian.core.route.RoutingPlan;
import dev.meridian.provider.ChatStream;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.observe.GatewayMetrics;
import dev.meridian.server.policy.Authorization;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The surface-independent request path: resolve the model id, compute the allowed destinations, plan, and call
 * the provider with failover inside the allowed set. Every HTTP surface calls this; none picks a region itself.
 */
public final class Gateway {
    /**
     * The parameter a refused output limit is reported against: surfaces name it in their own terms
     * ({@code max_tokens} on OpenAI's); Bedrock's errors carry only the message.
     */
    public static final String MAX_TOKENS_PARAMETER = "maxTokens";

    private final Supplier<Catalog> catalog;
    private final String accountId;
    private final Router router;
    private final FailoverInvoker invoker;
    private final Provider provider;
    private final GatewayMetrics metrics;
    private final Authorization authorization;
    private final Admission admission;

    /** Decides, before anything is processed, whether a request from a source region can be accepted now. */
    @FunctionalInterface
    public interface Admission {
        /**
         * @throws GatewayException when requests from {@code sourceRegion} must be refused now (e.g. its audit
         *     store is down: no processing without a record)
         */
        void admit(String sourceRegion);
    }

    public Gateway(
            Supplier<Catalog> catalog,
            String accountId,
            Router router,
            FailoverInvoker invoker,
            Provider provider,
            GatewayMetrics metrics,
            Authorization authorization,
            Admission admission) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.router = Objects.requireNonNull(router, "router");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.authorization = Objects.requireNonNull(authorization, "authorization");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    /**
     * Routes one conversation request.
     *
     * @throws GatewayException synchronously when the model id cannot be resolved or invoked from the caller's
     *     source region; routing failures arrive in the returned invocation instead
     */
    public CompletableFuture<Invocation> converse(Caller caller, String modelId, ChatRequest request) {
        return converse(caller, modelId, request, RouteTrace.NONE);
    }

    /** As {@link #converse(Caller, String, ChatRequest)}, reporting the routing to {@code trace}. */
    public CompletableFuture<Invocation> converse(
            Caller caller, String modelId, ChatRequest request, RouteTrace trace) {
        long start = System.nanoTime();
        return route(
                        "converse",
                        caller,
                        modelId,
                        request,
                        trace,
                        m -> chatSize(m, request),
                        provider::converse,
                        r -> CompletableFuture.completedFuture(r.usage().outputTokens() + 1))
                .thenApply(routed ->
                        new Invocation(routed.target(), routed.routed(), (System.nanoTime() - start) / 1_000_000));
    }

    /**
     * Routes one conversation request for {@code choices} answers (OpenAI's {@code n}), made in parallel at one
     * destination ({@link Choices}): they fail over together, and token admission claims the prompt and the output
     * limit once per answer.
     *
     * @throws GatewayException synchronously, as {@link #converse} does
     */
    public CompletableFuture<ChoicesInvocation> converseChoices(
            Caller caller, String modelId, ChatRequest request, int choices, RouteTrace trace) {
        long start = System.nanoTime();
        return route(
                        "converse",
                        caller,
                        modelId,
                        request,
                        trace,
                        m -> chatSize(m, request).times(choices),
                        call -> Choices.of(provider, call, choices),
                        answers -> CompletableFuture.completedFuture(
                                ChoicesInvocation.processed(answers).outputTokens() + 1))
                .thenApply(routed -> new ChoicesInvocation(
                        routed.target(), routed.routed(), (System.nanoTime() - start) / 1_000_000));
    }

    /**
     * As {@link #converseChoices}, streamed: the answers' streams start together at one destination, and failover
     * happens only until every one has its first event.
     *
     * @throws GatewayException synchronously, as {@link #converse} does
     */
    public CompletableFuture<StreamChoicesInvocation> converseStreamChoices(
            Caller caller, String modelId, ChatRequest request, int choices, RouteTrace trace) {
        long start = System.nanoTime();
        return route(
                        "converse_stream",
                        caller,
                        modelId,
                        request,
                        trace,
                        m -> chatSize(m, request).times(choices),
                        call -> Choices.streams(provider, call, choices),
                        Choices::completion)
                .thenApply(routed -> new StreamChoicesInvocation(routed.target(), routed.routed(), start));
    }

    /**
     * Routes one streaming conversation request; failover happens only until the first event is ready.
     *
     * @throws GatewayException synchronously, as {@link #converse} does
     */
    public CompletableFuture<StreamInvocation> converseStream(Caller caller, String modelId, ChatRequest request) {
        return converseStream(caller, modelId, request, RouteTrace.NONE);
    }

    /** As {@link #converseStream(Caller, String, ChatRequest)}, reporting the routing to {@code trace}. */
    public CompletableFuture<StreamInvocation> converseStream(
            Caller caller, String modelId, ChatRequest request, RouteTrace trace) {
        long start = System.nanoTime();
        return route(
                        "converse_stream",
                        caller,
                        modelId,
                        request,
                        trace,
                        m -> chatSize(m, request),
                        provider::converseStream,
                        ChatStream::completion)
                .thenApply(routed -> new StreamInvocation(routed.target(), routed.routed(), start));
    }

    /**
     * Counts the input tokens {@code request} would use (Bedrock's CountTokens). The prompt leaves the gateway, so
     * the count is routed like an invocation, inside the same allowed destinations and policy, and audited; it
     * reserves no capacity and no tokens, and is no sample of the destination's speed (counting is not inference).
     * A destination that cannot count passes it on to the next allowed one; when none can, or one refuses the input,
     * it is the caller's error (validation), as Bedrock's is for a model it cannot count.
     *
     * @throws GatewayException synchronously, as {@link #converse} does
     */
    public CompletableFuture<TokenCount> countTokens(
            Caller caller, String modelId, ChatRequest request, RouteTrace trace) {
        long start = System.nanoTime();
        return route(
                        "count_tokens",
                        caller,
                        modelId,
                        request,
                        trace,
                        m -> RouteRequest.of(m.id()),
                        provider::countTokens,
                        count -> CompletableFuture.completedFuture(0))
                .thenApply(routed -> new TokenCount(
                        routed.target(),
                        refusedAsValidation(routed.routed()),
                        (System.nanoTime() - start) / 1_000_000));
    }

    /** A destination's refusal of the input to count (not retryable) is the caller's error, not the model's. */
    private static Routed<Integer> refusedAsValidation(Routed<Integer> routed) {
        GatewayException error = routed.error();
        if (error == null || error.kind() != ErrorKind.MODEL_ERROR) {
            return routed;
        }
        return new Routed<>(
                null,
                GatewayException.validation("The input could not be counted: " + error.getMessage() + "."),
                routed.decision());
    }

    /** A conversation's size for routing and admission, once its output limit is known to be one the model has. */
    private static RouteRequest chatSize(FoundationModel model, ChatRequest request) {
        checkOutputLimit(model, request);
        return RouteRequest.forChat(model, request);
    }

    private record TargetRouted<T>(InvocationTarget target, Routed<T> routed) {}

    /** Resolve, allowed destinations (refusing when there are none), plan, and failover inside the set. */
    private <T> CompletableFuture<TargetRouted<T>> route(
            String operation,
            Caller caller,
            String modelId,
            ChatRequest request,
            RouteTrace trace,
            Function<FoundationModel, RouteRequest> sizing,
            Function<ProviderCall, CompletableFuture<T>> call,
            Function<T, CompletableFuture<Integer>> completion) {
        Catalog c = catalog.get();
        InvocationTarget target = ModelIdResolver.of(c, accountId).resolve(modelId, caller.sourceRegion());
        AllowedDestinations allowed = allowedOrExplain(c, target, caller.sourceRegion());
        Set<String> permitted = authorization.permittedDestinations(
                caller.principal(), action(operation), target, caller.sourceRegion(), allowed);
        if (!permitted.containsAll(allowed.regions())) {
            allowed = DestinationRules.destinations(c, target, caller.sourceRegion(), permitted);
        }
        RouteRequest routeRequest = sizing.apply(target.model());
        admission.admit(caller.sourceRegion());
        String model = target.model().id();
        AllowedDestinations destinations = allowed;
        long start = System.nanoTime();
        return invoker.invoke(
                        routeRequest,
                        destinations,
                        router.plan(destinations, routeRequest),
                        region -> {
                            RouteTrace.Attempt traced = trace.attempt(region);
                            return attempt(
                                    traced,
                                    call,
                                    new ProviderCall(caller.sourceRegion(), region, model, request, traced.headers()));
                        },
                        completion,
                        trace.callerGone())
                .thenApply(routed -> {
                    metrics.record(
                            operation, routed.decision(), routed.error(), (System.nanoTime() - start) / 1_000_000);
                    trace.routed(routed.decision());
                    return new TargetRouted<>(target, routed);
                });
    }

    /** Makes {@code providerCall} and ends the attempt's span with its outcome. */
    private static <T> CompletableFuture<T> attempt(
            RouteTrace.Attempt traced, Function<ProviderCall, CompletableFuture<T>> call, ProviderCall providerCall) {
        if (traced == RouteTrace.Attempt.NONE) {
            return call.apply(providerCall);
        }
        CompletableFuture<T> answer;
        try {
            answer = call.apply(providerCall);
        } catch (RuntimeException e) {
            traced.ended(e);
            throw e;
        }
        answer.whenComplete((result, failure) -> traced.ended(failure));
        return answer;
    }

    /**
     * Refuses a request asking for more output than its model can give, before it is admitted: it would otherwise
     * reserve tokens no destination can ever spend, or be refused by every destination in turn.
     */
    private static void checkOutputLimit(FoundationModel model, ChatRequest request) {
        Integer asked = request.params().maxTokens();
        if (asked != null && !model.allowsOutput(asked)) {
            int limit = model.maxOutputTokens();
            throw GatewayException.invalidParameter(
                    MAX_TOKENS_PARAMETER,
                    "The maximum tokens you requested (" + asked + ") exceeds the limit of " + model.id() + ", "
                            + limit + " output tokens. Try again with a maximum tokens value of at most " + limit
                            + ".");
        }
    }

    /**
     * Resolves {@code modelId} as called by {@code caller}, e.g. to pick a native body format.
     *
     * @throws GatewayException as {@link #converse} does for an unknown or malformed id
     */
    public InvocationTarget resolve(Caller caller, String modelId) {
        return ModelIdResolver.of(catalog.get(), accountId).resolve(modelId, caller.sourceRegion());
    }

    private static String action(String operation) {
        return switch (operation) {
            case "converse_stream" -> "bedrock:InvokeModelWithResponseStream";
            case "count_tokens" -> "bedrock:CountTokens";
            default -> "bedrock:InvokeModel";
        };
    }

    /** What {@link #converse} would do now for {@code modelId} from {@code sourceRegion}, without calling anything. */
    public Explanation explain(String sourceRegion, String modelId) {
        return explain(sourceRegion, modelId, null);
    }

    /**
     * As {@link #explain(String, String)}, with the policy decision for {@code principal} (none when {@code null});
     * in narrowing mode the plan covers only the destinations the policy leaves.
     */
    public Explanation explain(String sourceRegion, String modelId, String principal) {
        return explain(sourceRegion, modelId, principal, 0);
    }

    /**
     * As {@link #explain(String, String, String)}, plus where the next {@code simulate} requests would go if they
     * arrived together now ({@link Router#spread}); {@code 0} for none.
     */
    public Explanation explain(String sourceRegion, String modelId, String principal, int simulate) {
        if (simulate < 0 || simulate > 100_000) {
            throw GatewayException.validation("simulate: " + simulate + " (expected: 0..100000 requests)");
        }
        Catalog c = catalog.get();
        if (c.region(sourceRegion).isEmpty()) {
            throw GatewayException.validation(
                    "Unknown source region '" + sourceRegion + "'. Known regions: " + c.regionIds() + ".");
        }
        InvocationTarget target = ModelIdResolver.of(c, accountId).resolve(modelId, sourceRegion);
        AllowedDestinations allowed = DestinationRules.destinations(c, target, sourceRegion);
        Authorization.InvocationDecision policy = null;
        if (principal != null) {
            policy = authorization.decide(principal, "bedrock:InvokeModel", target, sourceRegion, allowed);
            if (!policy.permitted().containsAll(allowed.regions())) {
                allowed = DestinationRules.destinations(c, target, sourceRegion, policy.permitted());
            }
        }
        router.refreshHints(allowed, target.model().id());
        RoutingPlan plan = router.plan(allowed, target.model().id());
        return new Explanation(
                modelId,
                target.model().id(),
                target.viaProfile() ? target.profile().id() : null,
                allowed,
                plan,
                allowed.isEmpty()
                        ? DestinationRules.profilesServing(c, target.model().id(), sourceRegion)
                        : List.of(),
                principal,
                policy,
                simulate > 0 && !allowed.isEmpty()
                        ? router.spread(allowed, target.model().id(), simulate)
                        : null);
    }

    private static AllowedDestinations allowedOrExplain(Catalog c, InvocationTarget target, String source) {
        AllowedDestinations allowed = DestinationRules.destinations(c, target, source);
        if (!allowed.isEmpty()) {
            return allowed;
        }
        String model = target.model().id();
        List<String> alternatives = DestinationRules.profilesServing(c, model, source);
        String hint = alternatives.isEmpty()
                ? " No inference profile offers " + model + " from " + source + "."
                : " To invoke it from " + source + ", use one of these inference profiles: "
                        + String.join(", ", alternatives) + ".";
        if (!target.viaProfile()) {
            throw GatewayException.validation("Invocation of model ID " + model + " is not supported in source region "
                    + source + ": in-region calls are processed only in the source region, and " + source
                    + " does not serve this model." + hint);
        }
        throw GatewayException.validation(
                "The inference profile " + target.profile().id() + " cannot be invoked from source region " + source
                        + " (" + allowed.rule() + ")." + hint);
    }
}
