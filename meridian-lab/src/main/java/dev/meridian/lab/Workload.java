package dev.meridian.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The arrivals of a scenario: non-homogeneous Poisson per source region (by thinning), token counts from the
 * scenario's log-normal distributions, and conversations whose context grows turn by turn. Depends only on the
 * scenario and its seed.
 */
record Workload(List<String> sources, LabRequest[] requests) {

    static Workload generate(Scenario s) {
        SplittableRandom seedRandom = new SplittableRandom(s.seed());
        List<String> sources = new ArrayList<>();
        List<LabRequest> all = new ArrayList<>();
        long nextConversation = 1;
        for (int si = 0; si < s.traffic().size(); si++) {
            Scenario.Traffic t = s.traffic().get(si);
            sources.add(t.source());
            SplittableRandom rnd = seedRandom.split();
            long[] pool = new long[s.conversations().active()];
            int poolSize = 0;
            Map<Long, Integer> context = new HashMap<>();
            double max = t.maxRate();
            double time = 0;
            while (max > 0) {
                time += -Math.log(1 - rnd.nextDouble()) / max;
                if (time >= s.durationSeconds()) {
                    break;
                }
                if (rnd.nextDouble() * max > t.rateAt(time)) {
                    continue;
                }
                long conversation;
                boolean followUp = poolSize > 0
                        && rnd.nextDouble() < 1 - 1 / s.conversations().turns();
                if (followUp) {
                    conversation = pool[rnd.nextInt(poolSize)];
                } else {
                    conversation = nextConversation++;
                    context.put(conversation, s.conversations().systemTokens());
                    if (poolSize < pool.length) {
                        pool[poolSize++] = conversation;
                    } else {
                        int slot = rnd.nextInt(pool.length);
                        context.remove(pool[slot]);
                        pool[slot] = conversation;
                    }
                }
                int ctx = context.get(conversation);
                int fresh = sample(rnd, s.inputTokens());
                int output = Math.min(sample(rnd, s.outputTokens()), s.maxTokens());
                all.add(new LabRequest(0, (long) (time * 1e9), si, conversation, ctx, ctx + fresh, output));
                context.put(conversation, ctx + fresh + output);
            }
        }
        all.sort(Comparator.comparingLong(LabRequest::arrivalNanos).thenComparingInt(LabRequest::source));
        LabRequest[] requests = new LabRequest[all.size()];
        for (int i = 0; i < requests.length; i++) {
            LabRequest r = all.get(i);
            requests[i] = new LabRequest(
                    i,
                    r.arrivalNanos(),
                    r.source(),
                    r.conversation(),
                    r.contextTokens(),
                    r.inputTokens(),
                    r.outputTokens());
        }
        return new Workload(List.copyOf(sources), requests);
    }

    private static int sample(SplittableRandom rnd, Scenario.TokenDistribution d) {
        double value = d.median() * Math.exp(d.sigma() * rnd.nextGaussian());
        return (int) Math.max(1, Math.min(d.max(), Math.round(value)));
    }
}
