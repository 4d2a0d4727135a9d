package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code clients/python/test_bedrock.py} (the AWS SDK for Python: boto3's {@code bedrock-runtime},
 * {@code bedrock} and {@code cloudtrail} clients), {@code test_openai.py} (the official {@code openai} package) and
 * {@code test_anthropic.py} (Anthropic's {@code anthropic[bedrock]}, its InvokeModel and Messages-endpoint clients)
 * with {@code python -m unittest} against a gateway started here. {@code .ci/run} installs the pinned packages
 * into {@code clients/python/.venv}; without that environment the test is skipped with a message saying so.
 */
class PythonSdkIT {
    static final Path CLIENT =
            Path.of("..", "clients", "python").toAbsolutePath().normalize();
    private static final Pattern RAN = Pattern.compile("Ran (\\d+) tests");

    @Test
    void pythonSdks_passTheirSuitesAgainstTheGateway() throws Exception {
        Path python = CLIENT.resolve(".venv/bin/python");
        assumeTrue(
                Files.isExecutable(python),
                "no clients/python/.venv: create it and install clients/python/requirements.txt (.ci/run does)");
        try (MeridianServer server = TestGateways.start()) {
            ProcessBuilder pb = new ProcessBuilder(
                            python.toString(), "-m", "unittest", "-v", "test_bedrock", "test_openai", "test_anthropic")
                    .directory(CLIENT.toFile());
            // only what the tests pass explicitly: no profile, shared config or instance metadata of the machine's
            pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
            pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            String text = ClientSuites.runPassing(pb, server.endpoint());
            Matcher ran = RAN.matcher(text);
            assertThat(ran.find()).as(text).isTrue();
            assertThat(Integer.parseInt(ran.group(1))).as("tests run").isGreaterThanOrEqualTo(20);
            assertThat(text).contains("\nOK");
        }
    }
}
