package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.simserver.SimulatorHttpServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's default upstream replays what the simulator answered, whole and streamed, and the measured gateway,
 * configured as the benchmark configures it, takes those answers as it takes the simulator's.
 */
@Timeout(120)
class FixedAnswerUpstreamTest {
    private static final String MODEL = BenchFixture.MODEL;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replaysTheRecordedAnswers_wholeAndStreamed_withUsageOnlyWhenAsked() throws Exception {
        try (SimulatorHttpServer simulator = ProxyOverhead.simulatedUpstream(100, 0);
                FixedAnswerUpstream upstream = FixedAnswerUpstream.start(simulator, MODEL, Duration.ZERO);
                ClientFactory factory = ClientFactory.builder().build()) {
            AggregatedHttpResponse whole = chat(factory, upstream.port(), "");
            JsonNode answer = JSON.readTree(whole.contentUtf8());

            assertThat(whole.status()).isEqualTo(HttpStatus.OK);
            assertThat(whole.contentType()).isEqualTo(MediaType.JSON);
            assertThat(answer.at("/choices/0/message/content").asText()).isNotBlank();
            assertThat(answer.at("/usage/completion_tokens").asInt()).isPositive();
            assertThat(chat(factory, upstream.port(), "").contentUtf8()).isEqualTo(whole.contentUtf8());

            String streamed = chat(factory, upstream.port(), ",\"stream\":true").contentUtf8();
            String withUsage = chat(
                            factory, upstream.port(), ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")
                    .contentUtf8();
            assertThat(streamed)
                    .startsWith("data: ")
                    .endsWith("data: [DONE]\n\n")
                    .doesNotContain("\"usage\"");
            assertThat(withUsage).endsWith("data: [DONE]\n\n").contains("\"usage\"");
            assertThat(streamed.split("\n\n")).hasSizeGreaterThan(3); // role, deltas, stop, [DONE]

            AggregatedHttpResponse metrics = BenchFixture.client(factory, upstream.port())
                    .get("/metrics")
                    .aggregate()
                    .join();
            assertThat(metrics.contentUtf8()).contains("vllm:num_requests_running");
        }
    }

    @Test
    void answersAfterTheFixedDelay() throws Exception {
        try (SimulatorHttpServer simulator = ProxyOverhead.simulatedUpstream(100, 0);
                FixedAnswerUpstream upstream = FixedAnswerUpstream.start(simulator, MODEL, Duration.ofMillis(200));
                ClientFactory factory = ClientFactory.builder().build()) {
            long start = System.nanoTime();
            assertThat(chat(factory, upstream.port(), "").status()).isEqualTo(HttpStatus.OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void theMeasuredGateway_answersFromTheReplayedUpstream_wholeAndStreamed() throws Exception {
        try (SimulatorHttpServer simulator = ProxyOverhead.simulatedUpstream(100, 0);
                FixedAnswerUpstream upstream = FixedAnswerUpstream.start(simulator, MODEL, Duration.ZERO);
                ClientFactory factory = ClientFactory.builder().build();
                GatewayProcess gateway = GatewayProcess.start(ProxyOverhead.gatewayYaml(
                        ScratchFiles.directory("meridian-fixed-upstream-test"),
                        "os",
                        ProxyOverhead.upstreams(upstream.port(), "auto")))) {
            String recorded = JSON.readTree(chat(factory, upstream.port(), "").contentUtf8())
                    .at("/choices/0/message/content")
                    .asText();
            for (String model : List.of(MODEL, "eu." + MODEL)) {
                AggregatedHttpResponse whole = viaGateway(factory, gateway.port(), model, false);
                AggregatedHttpResponse streamed = viaGateway(factory, gateway.port(), model, true);

                assertThat(whole.status()).isEqualTo(HttpStatus.OK);
                assertThat(JSON.readTree(whole.contentUtf8())
                                .at("/choices/0/message/content")
                                .asText())
                        .isEqualTo(recorded);
                assertThat(whole.headers().get("x-meridian-inference-region")).startsWith("eu-");
                assertThat(streamed.status()).isEqualTo(HttpStatus.OK);
                assertThat(streamed.contentUtf8()).contains("data: ").endsWith("data: [DONE]\n\n");
            }
        }
    }

    private static AggregatedHttpResponse chat(ClientFactory factory, int port, String more) {
        String body = ProxyOverhead.chatBody(MODEL, more);
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                .contentType(MediaType.JSON)
                .build();
        return BenchFixture.client(factory, port)
                .execute(HttpRequest.of(headers, HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }

    private static AggregatedHttpResponse viaGateway(ClientFactory factory, int port, String model, boolean stream) {
        return BenchFixture.client(factory, port)
                .execute(
                        HttpRequest.of(ProxyOverhead.openAiHeaders(), HttpData.wrap(ProxyOverhead.body(model, stream))))
                .aggregate()
                .join();
    }
}
