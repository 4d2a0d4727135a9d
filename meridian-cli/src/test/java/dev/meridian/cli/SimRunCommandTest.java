package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimRunCommandTest {

    @Test
    void shippedScenario_runsEveryPolicy_writesReportAndSummary_exitsZeroWhenTargetsAreMet(@TempDir Path dir)
            throws Exception {
        CliTest.Run r = CliTest.run("sim", "run", "eu-outage", "--out", dir.toString(), "--seed", "3");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("Scenario eu-outage (seed 3)")
                .contains("| meridian |")
                .contains("| least-outstanding |")
                .contains("Targets: residency met (0 violations)");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg");
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"seed\" : 3");
    }

    @Test
    void scenarioFile_withChosenPolicies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, """
                name: mine
                duration: 2m
                invoke: eu.amazon.nova-2-lite-v1:0
                traffic: [{source: eu-west-2, rate: 5}]
                conversations: {turns: 4, systemTokens: 1000, active: 100}
                """);
        CliTest.Run r = CliTest.run(
                "sim", "run", file.toString(), "--out", dir.resolve("out").toString(), "--policy", "meridian,random");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("| meridian |").contains("| random |").doesNotContain("| p2c |");
    }

    @Test
    void badScenario_saysWhatIsWrong() {
        CliTest.Run r = CliTest.run("sim", "run", "no-such-scenario");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: no scenario file no-such-scenario (shipped scenarios: eu-steady");
    }
}
