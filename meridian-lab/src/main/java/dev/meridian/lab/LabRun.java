package dev.meridian.lab;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.route.AttemptRecord;
import dev.meridian.core.route.DestinationKey;
import dev.meridian.core.route.FailoverInvoker;
import dev.meridian.core.route.LiveSignals;
import dev.meridian.core.route.RetryBudget;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.RouteRequest;
import dev.meridian.core.route.Router;
import dev.meridian.sim.ServingProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One policy against one workload, in virtual time: the production {@link Router}, {@link LiveSignals} (on the
 * virtual clock), {@link FailoverInvoker} (with virtual-time deadlines) and {@link DestinationRules}, unchanged,
 * in front of a {@link VirtualFleet}. Every start of processing is checked against the allowed set that
 * {@link DestinationRules} gives the scenario's profile for the request's source region.
 */
final class LabRun {
    /** The account id used to resolve profile ids; the lab has no caller accounts. */
    static final String ACCOUNT = "000000000000";

    private final Scenario scenario;
    private final Workload workload;
    private final String policyName;
    private final EventLoop loop = new EventLoop();
    private final List<String> regions;
    private final String modelId;
    private final AllowedDestinations[] profileAllowed;
    private final AllowedDestinations[] usedAllowed;
    private final RoundTripTimes roundTrips;
    private final int bins;

    // per request
    private final double[] ttft;
    private final double[] total;
    private final boolean[] answered;
    private final boolean[] midStreamLoss;
    private final boolean[] failedOver;
    private final int[] processedIn;
    private long attempts;
    private long violations;
    private long prefixRequests;
    private long prefixHits;
    // per bin
    private final double[][] runningSum;
    private final double[][] queuedSum;
    private final int[] samples;
    private final long[] throttledPerBin;

    LabRun(Scenario scenario, Catalog catalog, Workload workload, String policyName) {
        this.scenario = scenario;
        this.workload = workload;
        this.policyName = policyName;
        this.roundTrips = RoundTripTimes.estimate(catalog, Map.of());
        int sources = workload.sources().size();
        profileAllowed = new AllowedDestinations[sources];
        usedAllowed = new AllowedDestinations[sources];
        ModelIdResolver resolver = ModelIdResolver.of(catalog, ACCOUNT);
        String model = null;
        for (int i = 0; i < sources; i++) {
            String source = workload.sources().get(i);
            InvocationTarget target = resolver.resolve(scenario.invoke(), source);
            model = target.model().id();
            profileAllowed[i] = DestinationRules.destinations(catalog, target, source);
            usedAllowed[i] = Policies.inRegionOnly(policyName)
                    ? DestinationRules.destinations(catalog, new InvocationTarget(model, target.model(), null), source)
                    : profileAllowed[i];
        }
        this.modelId = model;
        this.regions =
                catalog.model(modelId).orElseThrow().regions().stream().sorted().toList();
        this.bins = (int) Math.ceil(scenario.durationSeconds() / scenario.binSeconds());
        int n = workload.requests().length;
        ttft = new double[n];
        total = new double[n];
        answered = new boolean[n];
        midStreamLoss = new boolean[n];
        failedOver = new boolean[n];
        processedIn = new int[n];
        Arrays.fill(ttft, Double.POSITIVE_INFINITY);
        Arrays.fill(processedIn, -1);
        runningSum = new double[regions.size()][bins];
        queuedSum = new double[regions.size()][bins];
        samples = new int[bins];
        throttledPerBin = new long[bins];
    }

    /** One gateway's routing stack: its own signals, router, failover loop and policy state. */
    private record GatewayStack(LiveSignals signals, RoutingPolicy policy, FailoverInvoker invoker) {}

    RunResult run() {
        VirtualFleet fleet = new VirtualFleet(loop, scenario, regions, roundTrips, new VirtualFleet.Observer() {
            @Override
            public void started(VirtualFleet.Job job, String region, int cachedTokens) {
                if (!profileAllowed[job.request.source()].contains(region)) {
                    violations++;
                }
                if (job.request.contextTokens() > 0) {
                    prefixRequests++;
                    if (cachedTokens > 0) {
                        prefixHits++;
                    }
                }
            }

            @Override
            public void throttled(String region) {
                throttledPerBin[bin(loop.now())]++;
            }
        });
        Scenario.Gateways pool = scenario.gateways();
        int perSource = pool.perSource();
        GatewayStack[] gateways = new GatewayStack[workload.sources().size() * perSource];
        for (int g = 0; g < gateways.length; g++) {
            gateways[g] = stack(fleet, g);
        }
        if (pool.loadReportSeconds() > 0) {
            scheduleLoadReports(fleet, gateways, pool.loadReportSeconds());
        }
        SplittableRandom balancer = new SplittableRandom(scenario.seed() * 31 + 17);
        scheduleSamples(fleet);
        scheduleArrival(0, gateways, balancer, fleet);
        loop.run();
        return result();
    }

    private GatewayStack stack(VirtualFleet fleet, int index) {
        LiveSignals signals = LiveSignals.withTicker(loop::now);
        Router router = Router.builder(signals, roundTrips)
                .affinityMillisPerToken(policyName.equals("meridian-no-affinity") ? 0 : 0.18)
                .build();
        for (String region : regions) {
            ServingProfile p = fleet.profile(region);
            signals.capacity(new DestinationKey(region, modelId), p.capacity());
            signals.tokensPerMinute(new DestinationKey(region, modelId), p.tokensPerMinute());
        }
        RoutingPolicy policy = Policies.create(
                policyName, router, signals, new SplittableRandom(scenario.seed() ^ policyName.hashCode() ^ index));
        return new GatewayStack(signals, policy, new FailoverInvoker(signals, RetryBudget.DEFAULT, loop));
    }

    /** Every gateway reads every server's utilization (running plus waiting over capacity) periodically. */
    private void scheduleLoadReports(VirtualFleet fleet, GatewayStack[] gateways, double everySeconds) {
        for (double t = everySeconds; t < scenario.durationSeconds() + 600; t += everySeconds) {
            loop.at((long) (t * 1e9), () -> {
                for (String region : regions) {
                    int capacity = Math.max(1, fleet.profile(region).capacity());
                    double utilization = fleet.isDown(region)
                            ? 0
                            : (double) (fleet.running(region) + fleet.waiting(region)) / capacity;
                    for (GatewayStack g : gateways) {
                        g.signals().reported(new DestinationKey(region, modelId), utilization);
                    }
                }
            });
        }
    }

    private void scheduleArrival(int index, GatewayStack[] gateways, SplittableRandom balancer, VirtualFleet fleet) {
        LabRequest[] requests = workload.requests();
        if (index >= requests.length) {
            return;
        }
        loop.at(requests[index].arrivalNanos(), () -> {
            LabRequest r = requests[index];
            int perSource = scenario.gateways().perSource();
            int pick = perSource == 1
                    ? 0
                    : scenario.gateways().sticky()
                            ? Math.floorMod(Long.hashCode(r.conversation() * 0x9E3779B97F4A7C15L), perSource)
                            : balancer.nextInt(perSource);
            submit(r, gateways[r.source() * perSource + pick], fleet);
            scheduleArrival(index + 1, gateways, balancer, fleet);
        });
    }

    private void submit(LabRequest r, GatewayStack gateway, VirtualFleet fleet) {
        String source = workload.sources().get(r.source());
        AllowedDestinations allowed = usedAllowed[r.source()];
        RouteRequest request = new RouteRequest(modelId, r.conversation(), r.inputTokens(), scenario.maxTokens());
        long arrival = loop.now();
        gateway.invoker()
                .invoke(
                        request,
                        allowed,
                        gateway.policy().plan(allowed, request),
                        region -> fleet.attempt(r, source, region, request.reservedTokens()).firstToken,
                        job -> job.done)
                .thenAccept(routed -> {
                    List<AttemptRecord> tried = routed.decision().attempts();
                    attempts += tried.size();
                    if (tried.size() > 1) {
                        failedOver[r.id()] = true;
                    }
                    if (!routed.succeeded()) {
                        return;
                    }
                    ttft[r.id()] = (loop.now() - arrival) / 1e6;
                    String region = routed.decision().chosenRegion();
                    routed.result().done.whenComplete((units, failure) -> {
                        if (failure != null) {
                            midStreamLoss[r.id()] = true;
                            ttft[r.id()] = Double.POSITIVE_INFINITY;
                            return;
                        }
                        answered[r.id()] = true;
                        total[r.id()] = (loop.now() - arrival) / 1e6;
                        processedIn[r.id()] = regions.indexOf(region);
                    });
                });
    }

    /** Samples running and waiting counts ten times per bin, while arrivals last. */
    private void scheduleSamples(VirtualFleet fleet) {
        double every = scenario.binSeconds() / 10;
        for (double t = every / 2; t < scenario.durationSeconds(); t += every) {
            long at = (long) (t * 1e9);
            loop.at(at, () -> {
                int b = bin(at);
                samples[b]++;
                for (int i = 0; i < regions.size(); i++) {
                    runningSum[i][b] += fleet.running(regions.get(i));
                    queuedSum[i][b] += fleet.waiting(regions.get(i));
                }
            });
        }
    }

    private int bin(long nanos) {
        return (int) Math.max(0, Math.min(bins - 1, nanos / 1e9 / scenario.binSeconds()));
    }

    private RunResult result() {
        LabRequest[] requests = workload.requests();
        int n = requests.length;
        int succeeded = 0;
        int lost = 0;
        int inSource = 0;
        int failovers = 0;
        long[] perRegion = new long[regions.size()];
        double[] answeredTotals = new double[n];
        for (int i = 0; i < n; i++) {
            if (answered[i]) {
                answeredTotals[succeeded++] = total[i];
                perRegion[processedIn[i]]++;
                if (regions.get(processedIn[i]).equals(workload.sources().get(requests[i].source()))) {
                    inSource++;
                }
            } else if (midStreamLoss[i]) {
                lost++;
            }
            if (failedOver[i]) {
                failovers++;
            }
        }
        Map<String, Double> share = new LinkedHashMap<>();
        List<String> shownRegions = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            boolean allowedSomewhere = false;
            for (AllowedDestinations a : profileAllowed) {
                allowedSomewhere |= a.contains(regions.get(i));
            }
            if (allowedSomewhere || perRegion[i] > 0) {
                shownRegions.add(regions.get(i));
                share.put(regions.get(i), succeeded == 0 ? 0 : (double) perRegion[i] / succeeded);
            }
        }
        return new RunResult(
                policyName,
                n,
                succeeded,
                n - succeeded - lost,
                lost,
                Percentiles.of(ttft, n),
                Percentiles.of(answeredTotals, succeeded),
                attempts,
                attempts == 0 ? 0 : (double) Arrays.stream(throttledPerBin).sum() / attempts,
                n == 0 ? 0 : (double) failovers / n,
                succeeded == 0 ? 0 : (double) inSource / succeeded,
                violations,
                prefixRequests == 0 ? 0 : (double) prefixHits / prefixRequests,
                share,
                series(shownRegions));
    }

    private RunResult.Series series(List<String> shown) {
        LabRequest[] requests = workload.requests();
        double[][] running = new double[shown.size()][bins];
        double[][] queued = new double[shown.size()][bins];
        for (int s = 0; s < shown.size(); s++) {
            int i = regions.indexOf(shown.get(s));
            for (int b = 0; b < bins; b++) {
                running[s][b] = samples[b] == 0 ? 0 : runningSum[i][b] / samples[b];
                queued[s][b] = samples[b] == 0 ? 0 : queuedSum[i][b] / samples[b];
            }
        }
        List<List<Double>> ttftByBin = new ArrayList<>();
        int[] arrivals = new int[bins];
        int[] failed = new int[bins];
        int[] failedOverInBin = new int[bins];
        int[] answeredInBin = new int[bins];
        int[] inSourceInBin = new int[bins];
        for (int b = 0; b < bins; b++) {
            ttftByBin.add(new ArrayList<>());
        }
        for (LabRequest r : requests) {
            int b = bin(r.arrivalNanos());
            ttftByBin.get(b).add(ttft[r.id()]);
            arrivals[b]++;
            if (!answered[r.id()]) {
                failed[b]++;
            } else {
                answeredInBin[b]++;
                if (regions.get(processedIn[r.id()]).equals(workload.sources().get(r.source()))) {
                    inSourceInBin[b]++;
                }
            }
            if (failedOver[r.id()]) {
                failedOverInBin[b]++;
            }
        }
        double[] ttftP99 = new double[bins];
        double[] throttled = new double[bins];
        double[] failedShare = new double[bins];
        double[] failoverShare = new double[bins];
        double[] inSourceShare = new double[bins];
        for (int b = 0; b < bins; b++) {
            failoverShare[b] = arrivals[b] == 0 ? 0 : (double) failedOverInBin[b] / arrivals[b];
            inSourceShare[b] = answeredInBin[b] == 0 ? 0 : (double) inSourceInBin[b] / answeredInBin[b];
            double[] values =
                    ttftByBin.get(b).stream().mapToDouble(Double::doubleValue).toArray();
            ttftP99[b] = Percentiles.of(values, values.length).p99();
            throttled[b] = throttledPerBin[b] / scenario.binSeconds();
            failedShare[b] = arrivals[b] == 0 ? 0 : (double) failed[b] / arrivals[b];
        }
        return new RunResult.Series(
                scenario.binSeconds(),
                shown,
                running,
                queued,
                ttftP99,
                throttled,
                failedShare,
                failoverShare,
                inSourceShare);
    }

    long events() {
        return loop.executed();
    }
}
