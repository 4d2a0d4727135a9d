package dev.meridian.lab;

import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.TokenWindow;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.sim.ServingProfile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated model servers of a lab run, in virtual time. Each region serves the scenario's model with its
 * {@link ServingProfile} (the same latency model as the gateway's embedded {@link dev.meridian.sim.RegionSimulator}:
 * round trip, fixed TTFT, prefill, decode slowed by batch occupancy), plus what a fleet-scale study needs: a
 * waiting queue, a per-destination prompt-prefix cache (cached prefill is {@link
 * ServingProfile#CACHED_PREFILL_SPEEDUP} times faster), a Bedrock-style tokens-per-minute quota and the
 * scenario's faults. A region that goes down refuses new connections and loses the work it holds.
 */
final class VirtualFleet {
    /** What the fleet reports to the run's recorder. */
    interface Observer {
        /** A server started work on {@code job} (this is where residency is checked). */
        void started(Job job, String region, int cachedTokens);

        /** A destination throttled an attempt. */
        void throttled(String region);
    }

    /** One attempt at one region; the lab's stand-in for a provider's streaming answer. */
    static final class Job {
        final LabRequest request;
        final String source;
        final String region;
        final int reservedTokens;
        final CompletableFuture<Job> firstToken = new CompletableFuture<>();
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        boolean dead;
        boolean running;

        Job(LabRequest request, String source, String region, int reservedTokens) {
            this.request = request;
            this.source = source;
            this.region = region;
            this.reservedTokens = reservedTokens;
        }
    }

    private final class Destination {
        final String region;
        final ServingProfile profile;
        final ArrayDeque<Job> waiting = new ArrayDeque<>();
        final LinkedHashSet<Job> active = new LinkedHashSet<>();
        final LinkedHashMap<Long, Integer> cache = new LinkedHashMap<>(16, 0.75f, true);
        final TokenWindow quota = new TokenWindow();
        long cachedTokens;

        Destination(String region, ServingProfile profile) {
            this.region = region;
            this.profile = profile;
        }

        int capacityNow() {
            double factor = 1.0;
            for (Scenario.Fault f : faultsByRegion.getOrDefault(region, List.of())) {
                if (f.kind() == Scenario.FaultKind.CAPACITY && f.activeAt(loop.nowSeconds())) {
                    factor *= f.factor();
                }
            }
            return (int) Math.floor(profile.capacity() * factor);
        }

        double extraMillis() {
            double extra = 0;
            for (Scenario.Fault f : faultsByRegion.getOrDefault(region, List.of())) {
                if (f.kind() == Scenario.FaultKind.LATENCY && f.activeAt(loop.nowSeconds())) {
                    extra += f.extraMillis();
                }
            }
            return extra;
        }

        int cached(long conversation, int contextTokens) {
            Integer stored = cache.get(conversation);
            return stored == null ? 0 : Math.min(stored, contextTokens);
        }

        void remember(long conversation, int tokens) {
            if (prefixCacheTokens == 0) {
                return;
            }
            Integer previous = cache.put(conversation, tokens);
            cachedTokens += tokens - (previous == null ? 0 : previous);
            var it = cache.entrySet().iterator();
            while (cachedTokens > prefixCacheTokens && it.hasNext()) {
                var eldest = it.next();
                cachedTokens -= eldest.getValue();
                it.remove();
            }
        }
    }

    private final EventLoop loop;
    private final RoundTripTimes roundTrips;
    private final Observer observer;
    private final int queueLimit;
    private final long prefixCacheTokens;
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final Map<String, List<Scenario.Fault>> faultsByRegion = new LinkedHashMap<>();

    VirtualFleet(
            EventLoop loop, Scenario scenario, List<String> regions, RoundTripTimes roundTrips, Observer observer) {
        this.loop = loop;
        this.roundTrips = roundTrips;
        this.observer = observer;
        this.queueLimit = scenario.fleet().queue();
        this.prefixCacheTokens = scenario.fleet().prefixCacheTokens();
        for (String region : regions) {
            destinations.put(region, new Destination(region, scenario.fleet().profile(region)));
        }
        for (Scenario.Fault f : scenario.faults()) {
            faultsByRegion.computeIfAbsent(f.region(), k -> new ArrayList<>()).add(f);
            scheduleEdges(f);
        }
    }

    ServingProfile profile(String region) {
        Destination d = destinations.get(region);
        return d == null ? ServingProfile.DEFAULT : d.profile;
    }

    /** Sequences running and requests waiting at {@code region} now. */
    int running(String region) {
        Destination d = destinations.get(region);
        return d == null ? 0 : d.active.size();
    }

    int waiting(String region) {
        Destination d = destinations.get(region);
        return d == null ? 0 : d.waiting.size();
    }

    boolean isDown(String region) {
        double t = loop.nowSeconds();
        for (Scenario.Fault f : faultsByRegion.getOrDefault(region, List.of())) {
            if (f.downAt(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an attempt of {@code request} from {@code source} at {@code region}: the job's {@code firstToken}
     * completes when the first token is back at the gateway, or fails with an {@link UpstreamException} (refused,
     * throttled, reset) while no token has arrived; {@code done} completes with output tokens plus one.
     */
    Job attempt(LabRequest request, String source, String region, int reservedTokens) {
        Job job = new Job(request, source, region, reservedTokens);
        double halfTrip = roundTrips.millis(source, region) / 2;
        Destination d = destinations.get(region);
        if (d == null || isDown(region)) {
            loop.afterMillis(
                    2 * halfTrip,
                    () -> job.firstToken.completeExceptionally(UpstreamException.beforeSending(
                            FailureKind.UNAVAILABLE, "connection refused by " + region)));
            return job;
        }
        loop.afterMillis(halfTrip, () -> arrive(d, job, halfTrip));
        return job;
    }

    private void arrive(Destination d, Job job, double halfTrip) {
        if (isDown(d.region)) {
            reject(job, halfTrip, FailureKind.UNAVAILABLE, "connection refused by " + d.region);
            return;
        }
        long tpm = d.profile.tokensPerMinute();
        if (tpm > 0) {
            if (d.quota.sum(loop.now()) + job.reservedTokens > tpm) {
                observer.throttled(d.region);
                reject(job, halfTrip, FailureKind.THROTTLED, "token quota of " + d.region + " exhausted");
                return;
            }
            d.quota.add(loop.now(), job.reservedTokens);
        }
        if (d.active.size() < d.capacityNow()) {
            start(d, job, halfTrip);
        } else if (d.waiting.size() < queueLimit) {
            d.waiting.add(job);
        } else {
            if (tpm > 0) {
                d.quota.add(loop.now(), -job.reservedTokens);
            }
            observer.throttled(d.region);
            reject(job, halfTrip, FailureKind.THROTTLED, "too many requests: " + d.region + " is full");
        }
    }

    private void reject(Job job, double halfTrip, FailureKind kind, String message) {
        job.dead = true;
        loop.afterMillis(halfTrip, () -> job.firstToken.completeExceptionally(new UpstreamException(kind, message)));
    }

    private void start(Destination d, Job job, double halfTrip) {
        job.running = true;
        d.active.add(job);
        LabRequest r = job.request;
        int cached = d.cached(r.conversation(), r.contextTokens());
        observer.started(job, d.region, cached);
        double firstMillis = d.profile.firstTokenMillis(r.inputTokens(), cached) + d.extraMillis();
        double perToken = d.profile.decodeMillisPerToken((double) d.active.size() / Math.max(1, d.profile.capacity()));
        double serverEnd = firstMillis + r.outputTokens() * perToken;
        long startedAt = loop.now();
        loop.afterMillis(firstMillis + halfTrip, () -> {
            if (!job.dead) {
                job.firstToken.complete(job);
            }
        });
        loop.at(startedAt + (long) (serverEnd * 1e6), () -> {
            if (job.dead) {
                return;
            }
            d.active.remove(job);
            job.running = false;
            d.remember(r.conversation(), r.inputTokens() + r.outputTokens());
            if (d.profile.tokensPerMinute() > 0) {
                d.quota.adjust(startedAt, loop.now(), (long) r.inputTokens() + r.outputTokens() - job.reservedTokens);
            }
            loop.afterMillis(halfTrip, () -> job.done.complete(r.outputTokens() + 1));
            drain(d);
        });
    }

    private void drain(Destination d) {
        while (!d.waiting.isEmpty() && d.active.size() < d.capacityNow() && !isDown(d.region)) {
            Job next = d.waiting.poll();
            start(d, next, roundTrips.millis(next.source, d.region) / 2);
        }
    }

    /** Schedules what happens at a fault's edges: work lost when a region goes down, queues drained after. */
    private void scheduleEdges(Scenario.Fault f) {
        List<Double> downs = new ArrayList<>();
        List<Double> ups = new ArrayList<>();
        switch (f.kind()) {
            case DOWN -> {
                downs.add(f.fromSeconds());
                ups.add(f.toSeconds());
            }
            case FLAP -> {
                for (double t = f.fromSeconds(); t < f.toSeconds(); t += f.periodSeconds()) {
                    downs.add(t);
                    ups.add(Math.min(f.toSeconds(), t + f.downSeconds()));
                }
            }
            default -> ups.add(f.toSeconds());
        }
        for (double t : downs) {
            loop.at((long) (t * 1e9), () -> lose(f.region()));
        }
        for (double t : ups) {
            loop.at((long) (t * 1e9) + 1, () -> {
                Destination d = destinations.get(f.region());
                if (d != null) {
                    drain(d);
                }
            });
        }
    }

    private void lose(String region) {
        Destination d = destinations.get(region);
        if (d == null) {
            return;
        }
        List<Job> lost = new ArrayList<>(d.active);
        lost.addAll(d.waiting);
        d.active.clear();
        d.waiting.clear();
        for (Job job : lost) {
            job.dead = true;
            job.running = false;
            UpstreamException reset = new UpstreamException(FailureKind.UNAVAILABLE, "connection reset by " + region);
            loop.afterMillis(roundTrips.millis(job.source, region) / 2, () -> {
                if (!job.firstToken.isDone()) {
                    job.firstToken.completeExceptionally(reset);
                } else {
                    job.done.completeExceptionally(reset);
                }
            });
        }
    }
}
