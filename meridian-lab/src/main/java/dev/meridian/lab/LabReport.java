package dev.meridian.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes lab results: {@code summary.json} (machine-readable, rounded so runs compare byte for byte), a
 * self-contained {@code report.html} (inline SVG plots, no scripts, no network) and a Markdown table for the
 * console and {@code docs/routing.md}. Nothing written depends on the wall clock.
 */
public final class LabReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LabReport() {}

    /** Writes {@code summary.json} and {@code report.html} into {@code directory}; returns the report's path. */
    public static Path write(LabResults results, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("summary.json"), json(results));
            Path html = directory.resolve("report.html");
            Files.writeString(html, Html.render(results));
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + directory, e);
        }
    }

    /** The JSON summary. */
    public static String json(LabResults results) {
        Scenario s = results.scenario();
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", s.name());
        root.put("description", s.description());
        root.put("seed", s.seed());
        root.put("durationSeconds", s.durationSeconds());
        root.put("invoke", s.invoke());
        root.put("requests", results.requests());
        ObjectNode gateways = root.putObject("gateways");
        gateways.put("perSource", s.gateways().perSource());
        gateways.put("balancing", s.gateways().sticky() ? "sticky" : "random");
        gateways.put("loadReportSeconds", s.gateways().loadReportSeconds());
        ObjectNode targets = root.putObject("targets");
        LabResults.Targets t = results.targets();
        targets.put("violations", t.violations());
        targets.put("residencyMet", t.residencyMet());
        targets.put("capacityCovers", t.capacityCovers());
        targets.put("meridianSuccessRate", round(t.meridianSuccessRate(), 5));
        targets.put("successMet", t.successMet());
        number(targets, "meridianTtftP99Ms", t.meridianTtftP99());
        targets.put("bestBaseline", t.bestBaseline());
        number(targets, "bestBaselineTtftP99Ms", t.bestBaselineTtftP99());
        targets.put("ttftMet", t.ttftMet());
        ArrayNode runs = root.putArray("policies");
        for (RunResult r : results.runs()) {
            ObjectNode n = runs.addObject();
            n.put("policy", r.policy());
            n.put("requests", r.requests());
            n.put("succeeded", r.succeeded());
            n.put("successRate", round(r.successRate(), 5));
            n.put("refused", r.refused());
            n.put("lostMidStream", r.lostMidStream());
            percentiles(n.putObject("ttftMs"), r.ttftMs());
            percentiles(n.putObject("totalMs"), r.totalMs());
            n.put("attempts", r.attempts());
            n.put("throttleRate", round(r.throttleRate(), 5));
            n.put("failoverRate", round(r.failoverRate(), 5));
            n.put("inSourceShare", round(r.inSourceShare(), 5));
            n.put("violations", r.violations());
            n.put("prefixCacheHitRate", round(r.prefixHitRate(), 5));
            ObjectNode share = n.putObject("regionShare");
            r.regionShare().forEach((region, v) -> share.put(region, round(v, 5)));
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void percentiles(ObjectNode n, Percentiles p) {
        number(n, "p50", p.p50());
        number(n, "p90", p.p90());
        number(n, "p99", p.p99());
        number(n, "p999", p.p999());
        number(n, "max", p.max());
    }

    /** Infinite (failed) and undefined values are written as null. */
    private static void number(ObjectNode n, String key, double value) {
        if (Double.isFinite(value)) {
            n.put(key, round(value, 1));
        } else {
            n.putNull(key);
        }
    }

    private static double round(double value, int digits) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** One Markdown table row per policy, plus the targets. */
    public static String markdown(LabResults results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| policy | success | TTFT p50 | TTFT p99 | TTFT p99.9 | total p99 | throttled | failover |"
                + " in source | cache hits | violations |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results.runs()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                    r.policy(),
                    percent(r.successRate(), 2),
                    ms(r.ttftMs().p50()),
                    ms(r.ttftMs().p99()),
                    ms(r.ttftMs().p999()),
                    ms(r.totalMs().p99()),
                    percent(r.throttleRate(), 1),
                    percent(r.failoverRate(), 1),
                    percent(r.inSourceShare(), 0),
                    percent(r.prefixHitRate(), 0),
                    r.violations()));
        }
        LabResults.Targets t = results.targets();
        sb.append(String.format(
                Locale.ROOT,
                "%nTargets: residency %s (%d violations); success %s (Meridian %s, capacity %s the load); "
                        + "TTFT p99 %s (Meridian %s vs best baseline %s %s).%n",
                t.residencyMet() ? "met" : "MISSED",
                t.violations(),
                t.successMet() ? "met" : "MISSED",
                percent(t.meridianSuccessRate(), 2),
                t.capacityCovers() ? "covers" : "does not cover",
                t.ttftMet() ? "met" : "MISSED",
                ms(t.meridianTtftP99()),
                t.bestBaseline(),
                ms(t.bestBaselineTtftP99())));
        return sb.toString();
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Double.isInfinite(value)) {
            return "failed";
        }
        return value >= 10_000
                ? String.format(Locale.ROOT, "%.1f s", value / 1000)
                : String.format(Locale.ROOT, "%.0f ms", value);
    }

    static String percent(double value, int digits) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + digits + "f %%", 100 * value);
    }

    /** The HTML report: tables and inline SVG line charts. */
    static final class Html {
        private static final String[] COLORS = {
            "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354",
            "#756bb1"
        };

        private Html() {}

        static String render(LabResults results) {
            Scenario s = results.scenario();
            StringBuilder h = new StringBuilder();
            h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Meridian lab: ")
                    .append(esc(s.name()))
                    .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;"
                            + "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                            + "padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
                            + ".ok{color:#2a7d2a}.miss{color:#b00020;font-weight:bold}.grid{display:flex;"
                            + "flex-wrap:wrap;gap:12px}svg{background:#fafafa;border:1px solid #ddd}"
                            + "h2{margin-top:2em}</style></head><body>\n");
            h.append("<h1>Meridian routing lab: ").append(esc(s.name())).append("</h1>\n");
            h.append("<p>")
                    .append(esc(s.description()))
                    .append("</p>\n<p>Invoking <code>")
                    .append(esc(s.invoke()))
                    .append("</code>; ")
                    .append(String.format(Locale.ROOT, "%,d", results.requests()))
                    .append(" requests over ")
                    .append(String.format(Locale.ROOT, "%.0f", s.durationSeconds() / 60))
                    .append(" simulated minutes; seed ")
                    .append(s.seed())
                    .append("; ")
                    .append(gatewaysText(s.gateways()))
                    .append(". Every policy gets the same requests; failover along each policy's order uses the"
                            + " production FailoverInvoker and retry budget. TTFT percentiles count unanswered"
                            + " requests as infinitely slow (shown as <i>failed</i>).</p>\n");
            targets(h, results.targets());
            h.append("<h2>Policies</h2>\n");
            table(h, results);
            h.append("<h2>Over time</h2>\n<div class=\"grid\">\n");
            List<String> names = results.runs().stream().map(RunResult::policy).toList();
            h.append(lineChart(
                    "p99 time to first token by arrival bin (ms, failed = top)",
                    s.binSeconds(),
                    names,
                    results.runs().stream().map(r -> r.series().ttftP99()).toList(),
                    false));
            h.append(lineChart(
                    "Share of requests not answered",
                    s.binSeconds(),
                    names,
                    results.runs().stream().map(r -> r.series().failedShare()).toList(),
                    true));
            h.append(lineChart(
                    "Share of requests that failed over",
                    s.binSeconds(),
                    names,
                    results.runs().stream().map(r -> r.series().failoverShare()).toList(),
                    true));
            h.append(lineChart(
                    "Share of answers processed in the source region",
                    s.binSeconds(),
                    names,
                    results.runs().stream().map(r -> r.series().inSourceShare()).toList(),
                    true));
            h.append(lineChart(
                    "Throttled attempts per second",
                    s.binSeconds(),
                    names,
                    results.runs().stream().map(r -> r.series().throttled()).toList(),
                    false));
            h.append("</div>\n");
            for (RunResult r : results.runs()) {
                h.append("<h2>").append(esc(r.policy())).append(": load and queueing per region</h2>\n");
                h.append("<div class=\"grid\">\n");
                h.append(lineChart(
                        "Sequences running",
                        s.binSeconds(),
                        r.series().regions(),
                        List.of(r.series().running()),
                        false));
                h.append(lineChart(
                        "Requests queued",
                        s.binSeconds(),
                        r.series().regions(),
                        List.of(r.series().queued()),
                        false));
                h.append("</div>\n<p>Share of answers by region: ");
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Double> e : r.regionShare().entrySet()) {
                    if (e.getValue() > 0) {
                        parts.add(esc(e.getKey()) + " " + percent(e.getValue(), 1));
                    }
                }
                h.append(String.join(", ", parts)).append("</p>\n");
            }
            h.append("</body></html>\n");
            return h.toString();
        }

        private static String gatewaysText(Scenario.Gateways g) {
            if (g.perSource() == 1) {
                return "one gateway per source region";
            }
            return g.perSource() + " gateways per source region (" + (g.sticky() ? "sticky" : "random")
                    + " balancing, "
                    + (g.loadReportSeconds() > 0
                            ? "servers' load read every " + String.format(Locale.ROOT, "%.0f s", g.loadReportSeconds())
                            : "no load reports")
                    + ")";
        }

        private static void targets(StringBuilder h, LabResults.Targets t) {
            h.append("<h2>Targets</h2>\n<ul>\n");
            h.append(item(t.residencyMet(), "Zero residency violations in every run: " + t.violations()));
            h.append(item(
                    t.successMet(),
                    "At least 99.9 % answered when capacity covers the load (it "
                            + (t.capacityCovers() ? "does" : "does not, so this is informational") + "): Meridian "
                            + percent(t.meridianSuccessRate(), 2)));
            h.append(item(
                    t.ttftMet(),
                    "Meridian's p99 TTFT at or below the best baseline's: " + ms(t.meridianTtftP99()) + " vs "
                            + t.bestBaseline() + " " + ms(t.bestBaselineTtftP99())));
            h.append("</ul>\n");
        }

        private static String item(boolean met, String text) {
            return "<li class=\"" + (met ? "ok" : "miss") + "\">" + (met ? "met: " : "MISSED: ") + esc(text)
                    + "</li>\n";
        }

        private static void table(StringBuilder h, LabResults results) {
            h.append("<table><tr><th>policy</th><th>answered</th><th>refused</th><th>lost mid-stream</th>"
                    + "<th>TTFT p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>total p50</th><th>total p99</th>"
                    + "<th>throttled attempts</th><th>failover</th><th>in source region</th>"
                    + "<th>prefix cache hits</th><th>violations</th></tr>\n");
            for (RunResult r : results.runs()) {
                h.append("<tr><td>")
                        .append(esc(r.policy()))
                        .append("</td><td>")
                        .append(percent(r.successRate(), 2))
                        .append("</td><td>")
                        .append(r.refused())
                        .append("</td><td>")
                        .append(r.lostMidStream())
                        .append("</td><td>")
                        .append(ms(r.ttftMs().p50()))
                        .append("</td><td>")
                        .append(ms(r.ttftMs().p90()))
                        .append("</td><td>")
                        .append(ms(r.ttftMs().p99()))
                        .append("</td><td>")
                        .append(ms(r.ttftMs().p999()))
                        .append("</td><td>")
                        .append(ms(r.totalMs().p50()))
                        .append("</td><td>")
                        .append(ms(r.totalMs().p99()))
                        .append("</td><td>")
                        .append(percent(r.throttleRate(), 1))
                        .append("</td><td>")
                        .append(percent(r.failoverRate(), 1))
                        .append("</td><td>")
                        .append(percent(r.inSourceShare(), 1))
                        .append("</td><td>")
                        .append(percent(r.prefixHitRate(), 1))
                        .append("</td><td class=\"")
                        .append(r.violations() == 0 ? "ok" : "miss")
                        .append("\">")
                        .append(r.violations())
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        /**
         * A line chart of one or more series groups: each {@code double[][]} (or {@code double[]}) row is one line,
         * named by {@code names} in order. Infinite values are drawn at the top edge.
         */
        static String lineChart(
                String title, double binSeconds, List<String> names, List<?> groups, boolean percentAxis) {
            List<double[]> lines = new ArrayList<>();
            for (Object g : groups) {
                if (g instanceof double[][] rows) {
                    lines.addAll(List.of(rows));
                } else {
                    lines.add((double[]) g);
                }
            }
            int width = 560;
            int height = 260;
            int left = 56;
            int right = 150;
            int top = 28;
            int bottom = 36;
            double max = 0;
            int bins = 0;
            for (double[] line : lines) {
                bins = Math.max(bins, line.length);
                for (double v : line) {
                    if (Double.isFinite(v)) {
                        max = Math.max(max, v);
                    }
                }
            }
            max = niceCeiling(max);
            double plotW = width - left - right;
            double plotH = height - top - bottom;
            StringBuilder svg = new StringBuilder();
            svg.append(String.format(
                    Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">"
                            + "<title>%s</title><text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                    width,
                    height,
                    esc(title),
                    left,
                    esc(title)));
            for (int i = 0; i <= 4; i++) {
                double y = top + plotH - plotH * i / 4;
                double value = max * i / 4;
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>"
                                + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
                        left,
                        left + plotW,
                        y,
                        y,
                        left - 4,
                        y + 3,
                        percentAxis ? percent(value, 1) : axis(value)));
            }
            double minutes = bins * binSeconds / 60;
            for (int i = 0; i <= 4; i++) {
                double x = left + plotW * i / 4;
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.0f min</text>",
                        x,
                        height - bottom + 14,
                        minutes * i / 4));
            }
            for (int l = 0; l < lines.size(); l++) {
                double[] line = lines.get(l);
                String color = COLORS[l % COLORS.length];
                StringBuilder points = new StringBuilder();
                for (int b = 0; b < line.length; b++) {
                    double v = Double.isFinite(line[b]) ? line[b] : Double.isNaN(line[b]) ? 0 : max;
                    double x = left + (bins <= 1 ? 0 : plotW * b / (bins - 1));
                    double y = top + plotH - (max == 0 ? 0 : plotH * Math.min(v, max) / max);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                        .append(color)
                        .append("\" points=\"")
                        .append(points.toString().trim())
                        .append("\"/>");
                if (l < names.size() && l < 16) {
                    double ly = top + 12 * l + 6;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                                    + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>",
                            left + plotW + 8,
                            ly - 3,
                            color,
                            left + plotW + 22,
                            ly + 1,
                            esc(names.get(l))));
                }
            }
            svg.append("</svg>\n");
            return svg.toString();
        }

        private static String axis(double value) {
            if (value >= 10_000) {
                return String.format(Locale.ROOT, "%.0fk", value / 1000);
            }
            if (value == Math.rint(value)) {
                return String.format(Locale.ROOT, "%.0f", value);
            }
            return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
        }

        private static double niceCeiling(double value) {
            if (value <= 0) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
            for (double step : new double[] {1, 2, 2.5, 5, 10}) {
                if (step * magnitude >= value) {
                    return step * magnitude;
                }
            }
            return 10 * magnitude;
        }

        private static String esc(String s) {
            return s == null
                    ? ""
                    : s.replace("&", "&amp;")
                            .replace("<", "&lt;")
                            .replace(">", "&gt;")
                            .replace("\"", "&quot;");
        }
    }
}
