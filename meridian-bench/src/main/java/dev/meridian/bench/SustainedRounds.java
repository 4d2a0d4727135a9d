package dev.meridian.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The closed loop's results over several rounds, and the table printed from them. A target's throughput relative to
 * a baseline is taken within each round (the two ran minutes apart at most) and the median of those ratios is
 * reported with their range, rather than a ratio of medians taken from different rounds: the machine's speed drifts
 * between rounds by as much as the differences measured.
 */
final class SustainedRounds {
    /** One target in one round: requests per second, median latency, and its proxy's CPU per request (NaN: none). */
    record Run(double rps, double p50Micros, double cpuMicros) {}

    private static final String HEADER = "%-24s %9s %9s %9s %10s %10s%n";
    private static final String ROW = "%-24s %9.0f %9.0f %9s %10s %10s%n";

    private final List<String> targets;
    private final List<Map<String, Run>> rounds = new ArrayList<>();

    /** @param targets the targets in the order the table lists them */
    SustainedRounds(List<String> targets) {
        this.targets = List.copyOf(targets);
    }

    /** Records {@code target}'s run in round {@code round} (rounds are added in order, from 0). */
    void add(int round, String target, Run run) {
        while (rounds.size() <= round) {
            rounds.add(new LinkedHashMap<>());
        }
        rounds.get(round).put(target, run);
    }

    /** The header of the lines {@link #round} and {@link #summary} print. */
    static String header() {
        return String.format(Locale.ROOT, HEADER, "target", "req/s", "p50 us", "vs direct", "vs nginx", "proxy cpu");
    }

    /** The table of one round, each target against that round's baselines. */
    String round(int round) {
        Map<String, Run> runs = rounds.get(round);
        StringBuilder out = new StringBuilder();
        for (String target : targets) {
            Run run = runs.get(target);
            if (run != null) {
                out.append(row(
                        target,
                        run.rps(),
                        run.p50Micros(),
                        ratio(target, "direct", round),
                        ratio(target, "nginx", round),
                        run.cpuMicros()));
            }
        }
        return out.toString();
    }

    /**
     * Medians over the rounds: of requests per second, latency and CPU, and of each round's ratio to the baselines;
     * then, per gateway, the range of its ratio to nginx across the rounds.
     */
    String summary() {
        StringBuilder out = new StringBuilder();
        for (String target : targets) {
            out.append(row(
                    target,
                    median(values(target, Run::rps)),
                    median(values(target, Run::p50Micros)),
                    median(ratios(target, "direct")),
                    median(ratios(target, "nginx")),
                    median(values(target, Run::cpuMicros))));
        }
        for (String target : targets) {
            double[] vsNginx = ratios(target, "nginx");
            if (vsNginx.length > 0) {
                double[] sorted = vsNginx.clone();
                Arrays.sort(sorted);
                out.append(String.format(
                        Locale.ROOT,
                        "%-24s vs nginx by round %s (range %.2f–%.2f)%n",
                        target,
                        formatted(vsNginx, "%.2f"),
                        sorted[0],
                        sorted[sorted.length - 1]));
            }
        }
        return out.toString();
    }

    /**
     * An A/B read of {@code b} against {@code a} (two builds or settings of the gateway), paired within each round so
     * that the machine's drift between rounds cancels: {@code b}'s throughput over {@code a}'s and {@code b}'s CPU
     * per request minus {@code a}'s, by round and as medians, and in how many rounds each was ahead. Empty unless
     * both ran in at least one round.
     */
    String paired(String a, String b) {
        List<Double> throughput = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        int aheadA = 0;
        int aheadB = 0;
        for (Map<String, Run> runs : rounds) {
            Run ra = runs.get(a);
            Run rb = runs.get(b);
            if (ra == null || rb == null) {
                continue;
            }
            throughput.add(rb.rps() / ra.rps());
            cpu.add(rb.cpuMicros() - ra.cpuMicros());
            if (rb.rps() > ra.rps()) {
                aheadB++;
            } else if (ra.rps() > rb.rps()) {
                aheadA++;
            }
        }
        if (throughput.isEmpty()) {
            return "";
        }
        double[] ratios = throughput.stream().mapToDouble(Double::doubleValue).toArray();
        double[] differences = cpu.stream().mapToDouble(Double::doubleValue).toArray();
        return String.format(
                Locale.ROOT,
                "%s vs %s, paired by round: throughput %s (median %.2f), CPU per request %s us (median %+.1f us);"
                        + " %s ahead in %d of %d rounds, %s in %d%n",
                b,
                a,
                formatted(ratios, "%.2f"),
                median(ratios),
                formatted(differences, "%+.1f"),
                median(differences),
                b,
                aheadB,
                ratios.length,
                a,
                aheadA);
    }

    private static String formatted(double[] values, String format) {
        return Arrays.toString(Arrays.stream(values)
                .mapToObj(v -> String.format(Locale.ROOT, format, v))
                .toArray());
    }

    /**
     * {@code target}'s throughput over {@code baseline}'s in the same round; NaN where either is missing, for
     * {@code direct} (the path everything else is compared with) and for a target against itself.
     */
    double ratio(String target, String baseline, int round) {
        Map<String, Run> runs = rounds.get(round);
        Run t = runs.get(target);
        Run b = runs.get(baseline);
        boolean compared = t != null && b != null && !target.equals("direct") && !target.equals(baseline);
        return compared ? t.rps() / b.rps() : Double.NaN;
    }

    /** Each round's ratio of {@code target} to {@code baseline}, rounds without one left out. */
    double[] ratios(String target, String baseline) {
        List<Double> out = new ArrayList<>();
        for (int round = 0; round < rounds.size(); round++) {
            double r = ratio(target, baseline, round);
            if (!Double.isNaN(r)) {
                out.add(r);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] values(String target, ToDoubleFunction<Run> field) {
        return rounds.stream()
                .map(r -> r.get(target))
                .filter(r -> r != null)
                .mapToDouble(field)
                .toArray();
    }

    /** The median (the mean of the middle two for an even count); NaN for no values. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String row(String target, double rps, double p50, double vsDirect, double vsNginx, double cpu) {
        return String.format(
                Locale.ROOT,
                ROW,
                target,
                rps,
                p50,
                Double.isNaN(vsDirect) ? "" : String.format(Locale.ROOT, "%.2f", vsDirect),
                Double.isNaN(vsNginx) ? "" : String.format(Locale.ROOT, "%.2f", vsNginx),
                Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, "%.1f us", cpu));
    }
}
