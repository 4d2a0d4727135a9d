package dev.meridian.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.meridian.server.Keytool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration examples in the docs load: every key in them is one a reader asks for (a key that drifted from
 * the code would now stop a copied example at start-up) and every value is valid. Secrets from the environment
 * become inline values and the files they name become real ones (a PKCS#12 keystore made with keytool, a policy).
 */
class DocsExamplesTest {
    static final String PASSWORD = "example-secret";

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Keytool.selfSigned(dir, "gateway", "gateway", "gateway.p12", PASSWORD);
        Keytool.exportPem(dir, "gateway", "gateway.p12", PASSWORD, "peers-ca.pem");
        Files.writeString(
                dir.resolve("admin.json"),
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"bedrock:*\","
                        + " \"Resource\": \"*\"}]}");
        Files.writeString(dir.resolve("secret"), PASSWORD);
    }

    static Stream<Arguments> examples() throws Exception {
        return Stream.of(
                Arguments.of("docs/configuration.md", String.join("\n", yamlBlocks("configuration.md"))),
                Arguments.of(
                        "docs/providers.md, first example",
                        yamlBlocks("providers.md").get(0)),
                Arguments.of(
                        "docs/providers.md, second example",
                        yamlBlocks("providers.md").get(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void loads(String where, String yaml) {
        assertThatCode(() -> ConfigLoader.fromYaml(substituted(yaml))).as(where).doesNotThrowAnyException();
    }

    /** The YAML examples of a page under docs/, in order. */
    static List<String> yamlBlocks(String page) throws Exception {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(Path.of("..", "docs", page))) {
            if (block == null && line.equals("```yaml")) {
                block = new StringBuilder();
            } else if (block != null && line.startsWith("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        assertThat(blocks).as(page).isNotEmpty();
        return blocks;
    }

    /** Environment secrets inline, and the files the examples name replaced by real ones. */
    static String substituted(String yaml) {
        return yaml.replaceAll("(\\w+)Env: [A-Z][A-Z0-9_]*", "$1: " + PASSWORD)
                .replace("/etc/meridian/gateway.p12", dir.resolve("gateway.p12").toString())
                .replace(
                        "/etc/meridian/peers-ca.pem",
                        dir.resolve("peers-ca.pem").toString())
                .replace(
                        "/etc/meridian/models-ca.pem",
                        dir.resolve("peers-ca.pem").toString())
                .replace(
                        "/etc/meridian/policies/admin.json",
                        dir.resolve("admin.json").toString())
                .replaceAll("/run/secrets/[\\w-]+", dir.resolve("secret").toString());
    }
}
