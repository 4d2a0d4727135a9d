package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bedrock's Messages endpoint for Claude ({@code POST /anthropic/v1/messages}) on the wire: the whole answer and
 * the server-sent events Anthropic's SDKs read, its audit event in the key's source region without the prompt, and
 * errors, the HTTP server's own included, in Anthropic's shape. Anthropic's SDK itself drives it in
 * {@code clients/js/anthropic.test.mjs}.
 */
class MessagesApiIT {
    private static final String PATH = "/anthropic/v1/messages";
    private static final String CLAUDE = ReasoningIT.EU_CLAUDE;

    static MeridianServer server;
    static WebClient client;

    @BeforeAll
    static void start() {
        server = TestGateways.start("server: {maxRequestBytes: 65536}\n");
        client = WebClient.of(server.endpoint());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AggregatedHttpResponse post(String path, String version, String body) {
        var headers = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(MediaType.JSON)
                .add("authorization", "Bearer " + dev.meridian.server.auth.AuthSettings.DEMO_API_KEY);
        if (version != null) {
            headers.add("anthropic-version", version);
        }
        return client.execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }

    private static JsonNode json(AggregatedHttpResponse r) throws Exception {
        return Json.MAPPER.readTree(r.contentUtf8());
    }

    @Test
    void aWholeAnswer_isAnthropicsMessage_withWhereItWasProcessed_andAuditedWithoutThePrompt() throws Exception {
        AggregatedHttpResponse r = post(PATH, "2023-06-01", """
                {"model": "%s", "max_tokens": 200, "system": "Be brief.",
                 "messages": [{"role": "user", "content": "My IBAN is DE89370400440532013000."}]}""".formatted(CLAUDE));
        JsonNode message = json(r);
        String requestId = r.headers().get("x-amzn-RequestId");

        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
        assertThat(r.headers().get("request-id")).isEqualTo(requestId);
        assertThat(r.headers().get("x-meridian-inference-region")).isIn(ConverseIT.EU_MEMBERS);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("model").asText()).isEqualTo(CLAUDE);
        assertThat(message.at("/content/0/text").asText()).isNotBlank();
        assertThat(message.path("stop_reason").asText()).isIn("end_turn", "max_tokens");
        assertThat(message.at("/usage/input_tokens").asInt()).isPositive();
        JsonNode record = TestGateways.auditRecord(server, "eu-central-1", "CreateMessage", requestId);
        assertThat(record.at("/additionalEventData/inferenceRegion").asText())
                .isEqualTo(r.headers().get("x-meridian-inference-region"));
        assertThat(record.at("/requestParameters/modelId").asText()).isEqualTo(CLAUDE);
        assertThat(record.toString()).doesNotContain("DE89");
    }

    @Test
    void aStream_isServerSentEvents_namedAsAnthropicNamesThem() throws Exception {
        AggregatedHttpResponse r = post(PATH, "2026-10-21", """
                {"model": "%s", "max_tokens": 200, "stream": true,
                 "messages": [{"role": "user", "content": "Stream please"}]}""".formatted(CLAUDE));
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String block : r.contentUtf8().split("\n\n")) {
            String[] lines = block.split("\n");
            JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
            assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
            types.add(data.path("type").asText());
            if (data.at("/delta/type").asText().equals("text_delta")) {
                text.append(data.at("/delta/text").asText());
            }
        }

        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().contentType().is(MediaType.EVENT_STREAM)).isTrue();
        assertThat(types.get(0)).isEqualTo("message_start");
        assertThat(types).contains("content_block_start", "content_block_delta", "content_block_stop");
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("message_delta", "message_stop");
        assertThat(text).isNotEmpty();
    }

    @Test
    void countTokens_isCountedWhereTheModelRuns_andAuditedAsCountTokens() throws Exception {
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"How many tokens is this?\"}]";
        AggregatedHttpResponse counted =
                post(PATH + "/count_tokens", "2026-10-21", "{\"model\": \"" + CLAUDE + "\", " + messages + "}");
        AggregatedHttpResponse withLimit = post(
                PATH + "/count_tokens",
                "2026-10-21",
                "{\"model\": \"" + CLAUDE + "\", \"max_tokens\": 5, " + messages + "}");

        assertThat(counted.status().code()).as(counted.contentUtf8()).isEqualTo(200);
        assertThat(json(counted).path("input_tokens").asInt()).isPositive();
        assertThat(counted.headers().get("x-meridian-inference-region")).isIn(ConverseIT.EU_MEMBERS);
        JsonNode record = TestGateways.auditRecord(
                server, "eu-central-1", "CountTokens", counted.headers().get("x-amzn-RequestId"));
        assertThat(record.at("/additionalEventData/inferenceRegion").asText())
                .isEqualTo(counted.headers().get("x-meridian-inference-region"));
        assertThat(withLimit.status().code()).isEqualTo(400);
        assertThat(json(withLimit).at("/error/message").asText())
                .isEqualTo("max_tokens: Extra inputs are not permitted");
    }

    /**
     * The residency contract on this endpoint too: with every EU member region but Ireland down, a Frankfurt key's
     * EU-profile request is processed in Ireland; with Ireland down as well, nowhere, and the answer is Anthropic's
     * 529 {@code overloaded_error} naming the regions tried (London and Zurich are not EU destinations).
     */
    @Test
    void regionsDown_failOverInsideTheEu_andNoneLeftIsOverloaded() throws Exception {
        String body = """
                {"model": "%s", "max_tokens": 50, "messages": [{"role": "user", "content": "Where?"}]}""".formatted(CLAUDE);
        var simulator = server.wiring().simulator();
        try {
            TestGateways.onlyIrelandUp(server);
            AggregatedHttpResponse ireland = post(PATH, "2023-06-01", body);
            simulator.setDown("eu-west-1", true);
            AggregatedHttpResponse nowhere = post(PATH, "2023-06-01", body);

            assertThat(ireland.status().code()).as(ireland.contentUtf8()).isEqualTo(200);
            assertThat(ireland.headers().get("x-meridian-inference-region")).isEqualTo("eu-west-1");
            assertThat(nowhere.status().code()).isEqualTo(529);
            assertThat(json(nowhere).at("/error/type").asText()).isEqualTo("overloaded_error");
            assertThat(json(nowhere).at("/error/message").asText())
                    .contains("eu-west-1")
                    .doesNotContain("eu-west-2")
                    .doesNotContain("eu-central-2");
        } finally {
            for (String region : ConverseIT.EU_MEMBERS) {
                simulator.setDown(region, false);
            }
        }
    }

    @Test
    void errors_areAnthropicsShape_withTheStatusesItsSdksMap() throws Exception {
        String hello = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        AggregatedHttpResponse noVersion =
                post(PATH, null, "{\"model\": \"" + CLAUDE + "\", \"max_tokens\": 9, " + hello + "}");
        AggregatedHttpResponse removed = post(
                PATH, "2026-10-21", "{\"model\": \"" + CLAUDE + "\", \"max_tokens\": 9, \"top_k\": 5, " + hello + "}");
        AggregatedHttpResponse unknownModel =
                post(PATH, "2023-06-01", "{\"model\": \"eu.anthropic.none\", \"max_tokens\": 9, " + hello + "}");
        AggregatedHttpResponse otherPath = post("/anthropic/v1/complete", "2023-06-01", "{}");
        AggregatedHttpResponse tooLarge = post(
                PATH,
                "2023-06-01",
                "{\"model\": \"" + CLAUDE + "\", \"max_tokens\": 9, \"system\": \"" + "x".repeat(70_000) + "\", "
                        + hello + "}");

        assertThat(noVersion.status().code()).isEqualTo(400);
        assertThat(json(noVersion).at("/error/message").asText()).isEqualTo("anthropic-version: header is required");
        assertThat(json(removed).at("/error/message").asText()).startsWith("top_k: not supported in API version");
        assertThat(unknownModel.status().code()).isEqualTo(404);
        assertThat(json(unknownModel).at("/error/type").asText()).isEqualTo("not_found_error");
        assertThat(otherPath.status().code()).isEqualTo(404);
        assertThat(json(otherPath).path("type").asText()).isEqualTo("error");
        assertThat(tooLarge.status().code()).isEqualTo(413);
        assertThat(json(tooLarge).at("/error/type").asText()).isEqualTo("request_too_large");
        for (AggregatedHttpResponse r : List.of(noVersion, removed)) {
            assertThat(json(r).path("type").asText()).isEqualTo("error");
            assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
        }
    }
}
