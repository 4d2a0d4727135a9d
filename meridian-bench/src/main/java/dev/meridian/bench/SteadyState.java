package dev.meridian.bench;

/**
 * Decides when a proxy process has finished warming up, from its CPU per request over consecutive slices of the
 * same load: steady once two slices in a row are each within {@code tolerance} of the slice before them (one such
 * pair is not enough: the compiler's work has plateaus, e.g. a gateway's slices {@code 1815 1329 655 670} went on to
 * {@code 577 319}).
 *
 * <p>Why: on two cores shared with the load generator and the upstream, a JVM's C2 compiler is still working
 * 30-40 s into a saturating warm-up (measured with {@code jstat -compiler}: the gateway's compile time grew by 35 s
 * over its first 35 s of load, then stopped), and its compile threads' CPU counts as the process's. A fixed warm-up
 * short of that measures the compiler in the first round. The compiler's share is large (up to a core), so its end
 * shows as a drop in CPU per request; nginx and a warmed JVM are steady from the first slice.
 */
final class SteadyState {
    private final double tolerance;
    private double previous = Double.NaN;
    /** How many slices in a row were within the tolerance of the one before. */
    private int steadySlices;

    /** @param tolerance the relative change between two slices still counted as steady, e.g. 0.05 */
    SteadyState(double tolerance) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance " + tolerance + " (expected: between 0 and 1)");
        }
        this.tolerance = tolerance;
    }

    /**
     * Records one slice's CPU per request and says whether the process is now steady: false until two slices in a
     * row have moved by no more than the tolerance, either way, from the slice before each.
     */
    boolean steadyAfter(double cpuPerRequest) {
        if (!(cpuPerRequest > 0)) {
            throw new IllegalArgumentException("cpu per request " + cpuPerRequest + " (expected: positive)");
        }
        double before = previous;
        previous = cpuPerRequest;
        boolean withinTolerance = !Double.isNaN(before) && Math.abs(cpuPerRequest - before) <= tolerance * before;
        steadySlices = withinTolerance ? steadySlices + 1 : 0;
        return steadySlices >= 2;
    }
}
