package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Azure OpenAI's deployment path, {@code api-version} and {@code api-key} header, against a real HTTP server. */
class AzureOpenAiRequestTest {

    @Test
    void azureUpstream_usesDeploymentPathApiVersionAndApiKeyHeader() {
        AtomicReference<RequestHeaders> seen = new AtomicReference<>();
        Server server = Server.builder()
                .http(0)
                .serviceUnder("/", (ctx, req) -> {
                    seen.set(req.headers());
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
        } finally {
            server.stop().join();
        }
    }
}
