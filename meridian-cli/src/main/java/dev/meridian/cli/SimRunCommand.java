package dev.meridian.cli;

import dev.meridian.lab.Lab;
import dev.meridian.lab.LabReport;
import dev.meridian.lab.LabResults;
import dev.meridian.lab.Scenario;
import dev.meridian.lab.ScenarioReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meridian sim run SCENARIO}: the routing lab. Runs the production router and failover, in virtual time,
 * against simulated regions for each compared policy, and writes an HTML report and a JSON summary.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a routing-lab scenario in virtual time: Meridian's router against baseline policies.",
            "SCENARIO is a YAML file or a shipped scenario: " + ScenarioReader.SHIPPED_NAMES + ".",
            "Exit status 0 when every target is met, 3 when one is missed."
        })
final class SimRunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "SCENARIO", description = "A scenario file, or the name of a shipped scenario.")
    String scenario;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            description = "Where to write report.html and summary.json (default: lab/<scenario>).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides the scenario's seed.")
    Long seed;

    @Option(
            names = "--policy",
            split = ",",
            paramLabel = "NAME",
            description = "Compare only these policies (default: the scenario's list).")
    List<String> policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var catalog = config.load().catalog();
        Scenario s = new ScenarioReader(catalog).read(scenario);
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (policies != null) {
            s = s.withPolicies(policies);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Scenario %s (seed %d): %s%n", s.name(), s.seed(), s.description());
        out.flush();
        LabResults results = Lab.run(s, catalog, line -> {
            out.println("  " + line);
            out.flush();
        });
        Path dir = this.out != null ? this.out : Path.of("lab", s.name());
        Path report = LabReport.write(results, dir);
        out.println();
        out.print(LabReport.markdown(results));
        out.printf("%nReport: %s%nSummary: %s%n", report, dir.resolve("summary.json"));
        out.flush();
        LabResults.Targets t = results.targets();
        return t.residencyMet() && t.successMet() && t.ttftMet() ? 0 : 3;
    }
}
