package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code clients/js/bedrock.test.mjs} (the AWS SDK for JavaScript v3, {@code @aws-sdk/client-bedrock-runtime}
 * and {@code @aws-sdk/client-bedrock}), {@code openai.test.mjs} (the official {@code openai} package),
 * {@code anthropic.test.mjs} (Anthropic's {@code @anthropic-ai/bedrock-sdk}) and {@code governance.test.mjs} ({@code @aws-sdk/client-cloudtrail} LookupEvents, invocation logging configuration)
 * with the machine's Node.js against a gateway started here. {@code .ci/run}
 * installs the npm packages; without Node.js or them the test is skipped with a message saying so.
 */
class JavaScriptSdkIT {
    static final Path CLIENT = Path.of("..", "clients", "js").toAbsolutePath().normalize();

    @Test
    void javaScriptSdks_passTheirSuitesAgainstTheGateway() throws Exception {
        assumeTrue(nodeAvailable(), "node is not on the PATH: install Node.js (>= 20) to run the JavaScript SDK tests");
        assumeTrue(
                Files.isDirectory(CLIENT.resolve("node_modules/@aws-sdk/client-bedrock-runtime")),
                "npm packages missing: run `npm ci` in clients/js (.ci/run does)");
        try (MeridianServer server = TestGateways.start()) {
            ProcessBuilder pb = new ProcessBuilder(
                            "node",
                            "--test",
                            "--test-reporter=spec",
                            "bedrock.test.mjs",
                            "openai.test.mjs",
                            "anthropic.test.mjs",
                            "governance.test.mjs")
                    .directory(CLIENT.toFile());
            pb.environment().put("AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE", "1");
            String text = ClientSuites.runPassing(pb, server.endpoint());
            assertThat(text).contains("ℹ fail 0").doesNotContain("ℹ pass 0");
        }
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
