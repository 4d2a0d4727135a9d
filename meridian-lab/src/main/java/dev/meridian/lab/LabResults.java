package dev.meridian.lab;

import java.util.List;

/**
 * Every policy's result for one scenario, and whether the targets were met.
 *
 * @param scenario what was run
 * @param requests requests in the workload (the same for every policy)
 * @param runs one result per policy, in the scenario's order
 * @param targets the acceptance targets, evaluated
 */
public record LabResults(Scenario scenario, int requests, List<RunResult> runs, Targets targets) {

    public LabResults {
        runs = List.copyOf(runs);
    }

    /**
     * The lab's targets for Meridian's router.
     *
     * @param violations requests processed outside their allowed set, over all runs (target: 0)
     * @param capacityCovers whether the allowed regions' capacity covers the peak offered load even without the
     *     largest region that the scenario takes down (an estimate: peak arrival rate times mean service time)
     * @param meridianSuccessRate share of requests Meridian answered (target when capacity covers: at least 99.9 %)
     * @param meridianTtftP99 Meridian's p99 time to first token, ms
     * @param bestBaseline the baseline with the lowest p99 time to first token ({@code null} if none ran)
     * @param bestBaselineTtftP99 its p99, ms
     */
    public record Targets(
            long violations,
            boolean capacityCovers,
            double meridianSuccessRate,
            double meridianTtftP99,
            String bestBaseline,
            double bestBaselineTtftP99) {

        public boolean residencyMet() {
            return violations == 0;
        }

        /** Met, or not applicable because capacity does not cover the load. */
        public boolean successMet() {
            return !capacityCovers || meridianSuccessRate >= 0.999;
        }

        public boolean ttftMet() {
            return bestBaseline == null || meridianTtftP99 <= bestBaselineTtftP99;
        }
    }
}
