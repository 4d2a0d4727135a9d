package dev.meridian.bench;

import java.util.Locale;

/**
 * The result table of the open-loop overhead benchmarks: per target and rate, the achieved rate, latency
 * percentiles and the latency each target adds to {@code direct} (which runs first at every rate), followed by
 * columns of the benchmark's own (CPU, memory, ratios).
 */
final class OpenLoopTable {
    private static final String COMMON_HEADER = "%-24s %6s %8s %6s %8s %8s %9s %9s %9s";
    private static final String COMMON_ROW = "%-24s %6d %8.0f %6d %8.0f %8.0f %9.0f %9s %9s";
    private static final String EXTRA = " %10s";

    private final int extraColumns;
    private double directP50;
    private double directP99;

    /** Prints the header: the common columns, then {@code extraColumns}. */
    OpenLoopTable(String... extraColumns) {
        this.extraColumns = extraColumns.length;
        Object[] header = new Object[9 + extraColumns.length];
        String[] common = {
            "target", "rate", "achieved", "errors", "p50 us", "p99 us", "p99.9 us", "added p50", "added p99"
        };
        System.arraycopy(common, 0, header, 0, common.length);
        System.arraycopy(extraColumns, 0, header, common.length, extraColumns.length);
        System.out.printf(Locale.ROOT, COMMON_HEADER + EXTRA.repeat(extraColumns.length) + "%n", header);
    }

    /** Prints one row (and its errors' causes, if any); a {@code direct} row is the baseline of the rows after it. */
    void row(String target, int rate, ClosedLoopLoad.Result r, String... extras) {
        if (extras.length != extraColumns) {
            throw new IllegalArgumentException("expected " + extraColumns + " extra columns, got " + extras.length);
        }
        double p50 = r.percentileMicros(50);
        double p99 = r.percentileMicros(99);
        boolean direct = target.equals("direct");
        if (direct) {
            directP50 = p50;
            directP99 = p99;
        }
        Object[] row = new Object[9 + extras.length];
        Object[] common = {
            target,
            rate,
            r.rps(),
            r.errors(),
            p50,
            p99,
            r.percentileMicros(99.9),
            direct ? "" : String.format(Locale.ROOT, "%+.0f", p50 - directP50),
            direct ? "" : String.format(Locale.ROOT, "%+.0f", p99 - directP99)
        };
        System.arraycopy(common, 0, row, 0, common.length);
        System.arraycopy(extras, 0, row, common.length, extras.length);
        System.out.printf(Locale.ROOT, COMMON_ROW + EXTRA.repeat(extras.length) + "%n", row);
        if (r.errors() > 0) {
            System.out.println("  (errors of " + target + ": " + r.errorCauses() + ")");
        }
    }
}
