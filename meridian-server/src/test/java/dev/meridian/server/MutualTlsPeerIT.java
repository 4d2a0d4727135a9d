package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.server.audit.LookupQuery;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.config.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Gateway-to-gateway forwarding over mutual TLS: the eu-west-1 gateway serves HTTPS and requires a client
 * certificate from the test CA; the source gateway forwards with its own certificate. Keys and certificates are
 * made by the JDK's keytool for each run.
 */
class MutualTlsPeerIT {
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static final String PASSWORD = "changeit-test";
    /** The peer knows the forwarding gateway's key, marked as a gateway: it does not audit forwarded calls. */
    static final String PEER_AUTH = """
            auth:
              accessKeys:
                - {accessKeyId: AKIAGATEWAYSOUTH1, secretAccessKey: forwarding-secret, principal: gw-eu-south-1,
                   gateway: true}
                - {accessKeyId: AKIAMERIDIANDEMO, secretAccessKey: meridian-demo-secret, principal: demo}
            """;

    static Path dir;
    static MeridianServer peer;
    static MeridianServer gateway;

    @BeforeAll
    static void start() throws Exception {
        dir = TestGateways.freshDirectory();
        Keytool.selfSigned(dir, "ca", "meridian-test-ca", "ca.p12", PASSWORD, "-ext", "bc:c");
        Keytool.exportPem(dir, "ca", "ca.p12", PASSWORD, "ca.pem");
        issue("peer", "SAN=IP:127.0.0.1");
        issue("gateway", "EKU=clientAuth");
        issue("stranger", "EKU=clientAuth");
        TlsSettings peerTls = new TlsSettings(dir.resolve("peer.p12"), PASSWORD, dir.resolve("ca.pem"));
        peer = MeridianServer.start(TestGateways.config(PEER_AUTH).withTls(peerTls));
        gateway = MeridianServer.start(TestGateways.config("routing: {maxAttempts: 10}\n")
                .withUpstreams(List.of(
                        forwarding(new TlsSettings(dir.resolve("gateway.p12"), PASSWORD, dir.resolve("ca.pem"))))));
        TestGateways.onlyIrelandUp(gateway);
    }

    static MeridianConfig.Upstream forwarding(TlsSettings tls) {
        return MeridianConfig.Upstream.bedrock(
                        "eu-west-1", NOVA, URI.create(peer.endpoint()), "AKIAGATEWAYSOUTH1", "forwarding-secret")
                .withTls(tls);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        peer.close();
    }

    static void issue(String name, String extension) throws Exception {
        String store = name + ".p12";
        Keytool.selfSigned(dir, name, name, store, PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", PASSWORD, "-file", name + ".csr");
        if (name.equals("stranger")) {
            // signed by itself, not by the CA: the peer must refuse it
            return;
        }
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-storepass",
                PASSWORD,
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".pem",
                "-rfc",
                "-validity",
                "2",
                "-ext",
                extension);
        keytool(
                "-importcert",
                "-alias",
                "ca",
                "-keystore",
                store,
                "-storepass",
                PASSWORD,
                "-file",
                "ca.pem",
                "-noprompt");
        keytool("-importcert", "-alias", name, "-keystore", store, "-storepass", PASSWORD, "-file", name + ".pem");
    }

    static void keytool(String... args) throws Exception {
        Keytool.run(dir, args);
    }

    static software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse converse(MeridianServer via) {
        try (var client = TestGateways.runtime(via, "eu-south-1")) {
            return client.converse(b -> b.modelId("eu." + NOVA)
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(ContentBlock.fromText("over mutual TLS"))
                            .build()));
        }
    }

    @Test
    void forwarding_overMutualTls_isProcessedByThePeer() {
        long before = peer.wiring().simulator().processedIn("eu-west-1");
        var r = converse(gateway);
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-west-1");
        assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(before + 1);
        assertThat(peer.endpoint()).startsWith("https://");

        // the record stays in the caller's source region, at the gateway the caller called
        String requestId = r.responseMetadata().requestId();
        var recorded = gateway.wiring()
                .audit()
                .lookup(
                        "eu-south-1",
                        new LookupQuery(null, Instant.EPOCH, Instant.now().plusSeconds(60), Long.MAX_VALUE, 50))
                .join();
        assertThat(recorded)
                .filteredOn(e -> e.entry().recordJson().contains(requestId))
                .singleElement()
                .satisfies(e -> assertThat(e.entry().recordJson())
                        .contains("\"awsRegion\":\"eu-south-1\"")
                        .contains("\"inferenceRegion\":\"eu-west-1\""));
        for (String region : List.of("eu-west-1", "eu-south-1")) {
            assertThat(peer.wiring()
                            .audit()
                            .lookup(
                                    region,
                                    new LookupQuery(
                                            new LookupQuery.Attribute(LookupQuery.Key.Username, "gw-eu-south-1"),
                                            Instant.EPOCH,
                                            Instant.now().plusSeconds(60),
                                            Long.MAX_VALUE,
                                            50))
                            .join())
                    .as("the peer keeps no record of the forwarded call in " + region)
                    .isEmpty();
        }
    }

    @Test
    void forwarding_withACertificateTheCaDidNotSign_isRefusedByThePeer() throws Exception {
        try (MeridianServer impostor = MeridianServer.start(TestGateways.config("routing: {maxAttempts: 10}\n")
                .withUpstreams(List.of(
                        forwarding(new TlsSettings(dir.resolve("stranger.p12"), PASSWORD, dir.resolve("ca.pem"))))))) {
            TestGateways.onlyIrelandUp(impostor);
            long before = peer.wiring().simulator().processedIn("eu-west-1");
            assertThatThrownBy(() -> converse(impostor))
                    .hasMessageContaining("eu-west-1 (down: cannot reach the upstream)");
            assertThat(peer.wiring().simulator().processedIn("eu-west-1")).isEqualTo(before);
        }
    }
}
