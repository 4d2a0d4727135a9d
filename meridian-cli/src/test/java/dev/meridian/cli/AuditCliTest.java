package dev.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.MeridianServer;
import dev.meridian.server.audit.AuditStores;
import dev.meridian.server.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** {@code meridian audit verify|export} and {@code meridian explain --principal}, as an operator runs them. */
class AuditCliTest {

    @Test
    void auditVerifyAndExport_tamperedTrail_reportedAndExported() throws Exception {
        Path dir = Files.createTempDirectory("meridian-cli-audit-");
        Path config = dir.resolve("meridian.yaml");
        Files.writeString(
                config,
                "server: {port: 0, dataDirectory: \"" + dir.resolve("data") + "\"}\n"
                        + "simulator: {timeScale: 0.01}\n");
        try (MeridianServer server = MeridianServer.start(ConfigLoader.load(config));
                BedrockRuntimeClient client = BedrockRuntimeClient.builder()
                        .endpointOverride(URI.create(server.endpoint()))
                        .region(Region.EU_WEST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIAMERIDIANDEMO", "meridian-demo-secret")))
                        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                        .build()) {
            for (int i = 0; i < 5; i++) {
                client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                        .messages(m -> m.role("user").content(c -> c.text("audit me"))));
            }
            // an application profile created through the API: the residency check reads it from the store
            var profile = server.wiring()
                    .applicationProfiles()
                    .create(
                            new dev.meridian.server.auth.Caller("demo", "eu-west-1"),
                            new dev.meridian.server.gateway.ApplicationProfiles.CreateRequest(
                                    "team-a",
                                    null,
                                    null,
                                    "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.amazon.nova-2-lite-v1:0",
                                    java.util.Map.of()))
                    .join();
            client.converse(b -> b.modelId(
                            dev.meridian.server.policy.BedrockArns.profile(profile, "eu-west-1", "111122223333"))
                    .messages(m -> m.role("user").content(c -> c.text("audit me too"))));
        }
        CliTest.Run intact = CliTest.run("audit", "verify", "--config", config.toString(), "--region", "eu-west-1");
        assertThat(intact.exitCode()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.out()).contains("events      6").contains("INTACT");

        CliTest.Run export = CliTest.run(
                "audit",
                "export",
                "--config",
                config.toString(),
                "--region",
                "eu-west-1",
                "--out",
                dir.resolve("export").toString());
        assertThat(export.exitCode()).isZero();
        assertThat(export.out().trim())
                .contains("AWSLogs/111122223333/CloudTrail/eu-west-1/")
                .endsWith(".json.gz");

        CliTest.Run within = CliTest.run("audit", "residency", "--config", config.toString(), "--region", "eu-west-1");
        assertThat(within.exitCode()).as(within.out() + within.err()).isZero();
        assertThat(within.out())
                .contains("invocations     6")
                .contains("outside         0")
                .contains("WITHIN");

        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + AuditStores.embeddedFile(dir.resolve("data"), "eu-west-1"));
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_event SET record_json = REPLACE(record_json, '\"eu-west-', '\"us-east-')"
                    + " WHERE sequence = 3");
            // an event that says its EU request was processed in the US, as a gateway that broke the rules would
            s.executeUpdate("UPDATE audit_event SET record_json = json_set(record_json,"
                    + " '$.additionalEventData.inferenceRegion', 'us-east-1') WHERE sequence = 4");
            // one that names an application profile the catalog no longer has (deleted): it cannot be checked
            s.executeUpdate(
                    "UPDATE audit_event SET record_json = json_set(record_json, '$.requestParameters.modelId',"
                            + " 'arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/gone123') WHERE sequence = 5");
        }
        CliTest.Run outside = CliTest.run("audit", "residency", "--config", config.toString(), "--region", "eu-west-1");
        assertThat(outside.exitCode()).isEqualTo(1);
        assertThat(outside.out())
                .contains("invocations     6")
                .contains("outside         1")
                .containsPattern("outside: event 4 \\(Converse, request [0-9a-f-]+\\): eu.amazon.nova-2-lite-v1:0"
                        + " from eu-west-1 went to \\[us-east-1\\], outside the allowed \\[")
                // event 3, now a call from us-east-1 served there, is within the EU profile's rule for outside callers
                .doesNotContain("event 3")
                .contains("unverifiable    1")
                .contains("unverifiable: event 5 ")
                .contains("OUTSIDE");
        CliTest.Run tampered = CliTest.run("audit", "verify", "--config", config.toString(), "--region", "eu-west-1");
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.out()).contains("TAMPERED").contains("event 3: its record was edited");
    }

    @Test
    void explain_principal_printsPolicyDecision() throws Exception {
        Path config = Files.createTempFile("meridian-policy-", ".yaml");
        Files.writeString(config, """
                policies:
                  no-paris: |
                    {"Statement": [
                      {"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"},
                      {"Sid": "NotInParis", "Effect": "Deny", "Action": "bedrock:Invoke*",
                       "Resource": "arn:aws:bedrock:eu-west-3::foundation-model/*"}]}
                auth:
                  policyMode: narrow
                  accessKeys:
                    - {accessKeyId: AKIAAPP, secretAccessKey: s, principal: app, policies: [no-paris]}
                """);
        CliTest.Run r = CliTest.run(
                "explain",
                "--config",
                config.toString(),
                "-r",
                "eu-west-3",
                "-m",
                "eu.amazon.nova-2-lite-v1:0",
                "--principal",
                "app");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("policy          app: permitted")
                .contains("deny     arn:aws:bedrock:eu-west-3::foundation-model/amazon.nova-2-lite-v1:0")
                .contains("NotInParis")
                .contains("narrowed by the caller's policy");
        assertThat(r.out().lines().filter(l -> l.matches("\\d+ +eu-west-3 .*"))).isEmpty();
    }

    @Test
    void explain_simulate_printsTheSpread() {
        CliTest.Run r =
                CliTest.run("explain", "-r", "eu-south-1", "-m", "eu.amazon.nova-2-lite-v1:0", "--simulate", "200");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("next 200 requests, if they arrived together now:");
        int total = r.out()
                .lines()
                .filter(l -> l.matches("  eu-[a-z]+-\\d +\\d+ .*"))
                .mapToInt(l -> Integer.parseInt(l.trim().split(" +")[1]))
                .sum();
        assertThat(total).isEqualTo(200);
        assertThat(r.out()).doesNotContain("  eu-west-2 ");
    }

    /** With --endpoint the spread comes from the running gateway's live signals (it was left out). */
    @Test
    void explain_simulateAgainstARunningGateway_printsTheSpread() throws Exception {
        Path dir = Files.createTempDirectory("meridian-cli-explain-");
        Path config = dir.resolve("meridian.yaml");
        Files.writeString(config, "server: {port: 0, dataDirectory: \"" + dir.resolve("data") + "\"}\n");
        try (MeridianServer server = MeridianServer.start(ConfigLoader.load(config))) {
            CliTest.Run r = explainSimulating(server, "50");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("next 50 requests, if they arrived together now:");

            CliTest.Run bad = explainSimulating(server, "-1");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("simulate: -1 (expected: 0..100000 requests)");
        }
    }

    private static CliTest.Run explainSimulating(MeridianServer server, String simulate) {
        return CliTest.run(
                "explain",
                "-e",
                server.endpoint(),
                "-r",
                "eu-south-1",
                "-m",
                "eu.amazon.nova-2-lite-v1:0",
                "--simulate",
                simulate);
    }
}
