package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.config.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * An OpenAI-compatible model server over HTTPS with a certificate from a private CA, as model servers inside a bank's
 * network are: the upstream's {@code tls.caFile} makes the gateway trust it, and the same server without the CA
 * configured is refused (the JVM's trust store does not know it), so the setting is what makes the difference.
 */
class PrivateCaUpstreamIT {
    static final String PASSWORD = "changeit-test";
    static final String NOVA = "amazon.nova-2-lite-v1:0";
    static Path dir;
    static Server upstream;
    static MeridianServer trusting;
    static MeridianServer untrusting;
    static MeridianServer trustingOverHttp1;
    static final Queue<SessionProtocol> protocols = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        dir = TestGateways.freshDirectory();
        Keytool.selfSigned(dir, "upstream", "model-server", "upstream.p12", PASSWORD, "-ext", "SAN=IP:127.0.0.1");
        Keytool.exportPem(dir, "upstream", "upstream.p12", PASSWORD, "upstream.pem");
        TlsSettings serverKeys = new TlsSettings(dir.resolve("upstream.p12"), PASSWORD, null);
        upstream = Server.builder()
                .https(0)
                .tls(serverKeys.keyManagers())
                .service("/v1/chat/completions", (ctx, req) -> {
                    protocols.add(ctx.sessionProtocol());
                    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, """
                        {"id":"x","object":"chat.completion","created":0,"model":"nova-lite","choices":[{"index":0,
                         "message":{"role":"assistant","content":"over a private CA"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""");
                })
                .build();
        upstream.start().join();
        URI base = URI.create("https://127.0.0.1:" + upstream.activeLocalPort() + "/v1");
        MeridianConfig.Upstream plain =
                MeridianConfig.Upstream.openAi("eu-central-1", NOVA, base, "nova-lite", "upstream-key");
        trusting = trustingGateway(base, "");
        untrusting = MeridianServer.start(TestGateways.config("").withUpstreams(List.of(plain)));
        trustingOverHttp1 = trustingGateway(base, ", protocol: http1");
    }

    /** A gateway configured as an operator would: YAML, the upstream's CA as a PEM file, {@code more} settings. */
    static MeridianServer trustingGateway(URI base, String more) {
        return MeridianServer.start(TestGateways.config("""
                upstreams:
                  - {region: eu-central-1, model: "%s", provider: openai-compatible, baseUrl: "%s",
                     modelName: nova-lite, apiKey: upstream-key, tls: {caFile: "%s"}%s}
                """.formatted(NOVA, base, dir.resolve("upstream.pem"), more)));
    }

    @AfterAll
    static void stop() {
        trusting.close();
        untrusting.close();
        trustingOverHttp1.close();
        upstream.stop().join();
    }

    static ConverseResponse converse(MeridianServer gateway) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-central-1")) {
            return client.converse(b -> b.modelId(NOVA).messages(ToolUseIT.user("hello over TLS")));
        }
    }

    @Test
    void withTheUpstreamsCa_theGatewayCallsIt() {
        ConverseResponse r = converse(trusting);
        assertThat(r.output().message().content().get(0).text()).isEqualTo("over a private CA");
        assertThat(r.sdkHttpResponse().firstMatchingHeader("x-meridian-inference-region"))
                .hasValue("eu-central-1");
    }

    /** Over TLS the version is chosen by ALPN: HTTP/2 by default, only HTTP/1.1 offered with {@code http1}. */
    @Test
    void overTls_theDefaultNegotiatesHttp2_andHttp1OffersOnlyHttp1() {
        protocols.clear();
        converse(trusting);
        assertThat(protocols).containsOnly(SessionProtocol.H2);
        protocols.clear();
        ConverseResponse r = converse(trustingOverHttp1);
        assertThat(r.output().message().content().get(0).text()).isEqualTo("over a private CA");
        assertThat(protocols).containsOnly(SessionProtocol.H1);
    }

    @Test
    void withoutIt_theCertificateIsRefused() {
        assertThatThrownBy(() -> converse(untrusting))
                .isInstanceOf(software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException.class);
    }
}
