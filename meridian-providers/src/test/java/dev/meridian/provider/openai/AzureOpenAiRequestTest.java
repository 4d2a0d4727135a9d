package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Azure OpenAI's deployment path, {@code api-version} and {@code api-key} header, against a real HTTP server. */
class AzureOpenAiRequestTest {

    @Test
    void azureUpstream_usesDeploymentPathApiVersionAndApiKeyHeader() {
        AtomicReference<RequestHeaders> seen = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Server server = Server.builder()
                .http(0)
                .serviceUnder("/", (ctx, req) -> {
                    seen.set(req.headers());
                    calls.incrementAndGet();
                    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, """
                            {"id":"x","object":"chat.completion","created":0,"model":"d","choices":[{"index":0,
                             "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""");
                })
                .build();
        server.start().join();
        try (ClientFactory factory = ClientFactory.builder().build()) {
            var provider = new OpenAiCompatibleProvider(
                    new OpenAiUpstream(
                            URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/openai/deployments/my-gpt"),
                            "my-gpt",
                            "azure-secret",
                            "2024-10-21",
                            Duration.ofSeconds(5)),
                    factory);
            var answer = provider.converse(ProviderCalls.call("hello")).join();
            assertThat(answer.message().text()).isEqualTo("hi");
            assertThat(seen.get().path())
                    .isEqualTo("/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21");
            assertThat(seen.get().get("api-key")).isEqualTo("azure-secret");
            assertThat(seen.get().get("authorization")).isNull();

            // Azure OpenAI, as OpenAI, refuses more than 4 stop sequences, which a Converse caller may send: the
            // destination is passed by (unsupported) without a call, rather than failing on the upstream's 400.
            var fiveStops = ProviderCalls.call(
                    "hello", new InferenceParams(null, null, null, List.of("a", "b", "c", "d", "e")));
            assertThatThrownBy(() -> provider.converse(fiveStops).join())
                    .cause()
                    .isInstanceOfSatisfying(UpstreamException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("takes at most 4 stop sequences (the request has 5)");
                    });
            assertThatThrownBy(() -> provider.converseStream(fiveStops).join())
                    .cause()
                    .isInstanceOf(UpstreamException.class);
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            server.stop().join();
        }
    }
}
