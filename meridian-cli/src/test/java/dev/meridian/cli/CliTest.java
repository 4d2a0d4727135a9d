package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.MeridianServer;
import dev.meridian.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void profiles_fromLondon_listsEuProfileWithLondonAsDestination() {
        Run r = run("profiles", "--source-region", "eu-west-2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .containsPattern("eu\\.amazon\\.nova-2-lite-v1:0 +SYSTEM_DEFINED +.*eu-west-2")
                .doesNotContain("us.amazon.nova-2-lite-v1:0");
    }

    @Test
    void profiles_unknownRegion_failsWithAClearMessage() {
        Run r = run("profiles", "--source-region", "mars-north-1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("unknown source region mars-north-1");
    }

    @Test
    void explain_euFromMilan_showsRuleAllowedSetAndPlan() {
        Run r = run("explain", "-r", "eu-south-1", "-m", "eu.amazon.nova-2-lite-v1:0");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("member regions only")
                .contains("allowed         eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3")
                .containsPattern("1 +eu-south-1 +AVAILABLE")
                .doesNotContain("eu-west-2");
    }

    @Test
    void explain_plainModelNotServedInSource_saysWhyAndWhatToUse() {
        Run r = run("explain", "-r", "eu-central-1", "-m", "meta.llama3-3-70b-instruct-v1:0");
        assertThat(r.out())
                .contains("not served in the source region")
                .contains("global.meta.llama3-3-70b-instruct-v1:0");
    }

    @Test
    void simAndLiveExplain_againstARunningGateway() throws Exception {
        try (MeridianServer server = MeridianServer.start(ConfigLoader.fromYaml("server: {port: 0}")
                .withDataDirectory(java.nio.file.Files.createTempDirectory("meridian-cli-test")))) {
            String endpoint = server.endpoint();
            Run down = run("sim", "down", "eu-south-1", "-e", endpoint);
            assertThat(down.exitCode()).isZero();
            assertThat(down.out()).containsPattern("eu-south-1 +Europe \\(Milan\\) +DOWN");
            assertThat(server.wiring().simulator().isDown("eu-south-1")).isTrue();

            Run capacity = run("sim", "capacity", "eu-central-1", "0", "-e", endpoint);
            assertThat(capacity.out()).containsPattern("eu-central-1 +Europe \\(Frankfurt\\) +up +0");

            Run explain = run("explain", "-r", "eu-south-1", "-m", "eu.amazon.nova-2-lite-v1:0", "-e", endpoint);
            assertThat(explain.exitCode()).isZero();
            assertThat(explain.out()).contains("eu-south-1");

            run("sim", "up", "eu-south-1", "-e", endpoint);
            run("sim", "capacity", "eu-central-1", "reset", "-e", endpoint);
            assertThat(server.wiring().simulator().isDown("eu-south-1")).isFalse();
            assertThat(server.wiring().simulator().status().capacityOverrides()).isEmpty();
        }
    }

    @Test
    void sim_unreachableGateway_saysSo() {
        Run r = run("sim", "status", "-e", "http://127.0.0.1:1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err())
                .contains("(connection refused); is `meridian serve` running?")
                .doesNotContain("(null)");
    }

    @Test
    void serveBanner_showsEndpointAndCopyPasteExample() throws Exception {
        try (MeridianServer server = MeridianServer.start(ConfigLoader.fromYaml("server: {port: 0}")
                .withDataDirectory(java.nio.file.Files.createTempDirectory("meridian-cli-test")))) {
            StringWriter out = new StringWriter();
            ServeCommand.printBanner(new PrintWriter(out), server);
            assertThat(out.toString())
                    .contains(server.endpoint())
                    .contains("aws bedrock-runtime converse --endpoint-url " + server.endpoint())
                    .contains("x-meridian-inference-region");
        }
    }
}
