package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.error.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bedrock's Messages endpoint's request: InvokeModel's Anthropic body, model and stream inside, version outside. */
class MessagesRequestTest {
    private static MessagesRequest parse(String version, String json) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/anthropic/v1/messages")
                .add("anthropic-version", version)
                .build();
        return MessagesRequest.parse(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(String version, String json) {
        return catchThrowableOfType(GatewayException.class, () -> parse(version, json))
                .getMessage();
    }

    private static final String HELLO = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";

    @Test
    void modelAndStream_areTakenFromTheBody_andTheRestReadAsInvokeModelReadsIt() {
        MessagesRequest m = parse(
                "2023-06-01",
                "{\"model\": \"eu.anthropic.c\", \"stream\": true, \"max_tokens\": 7, \"temperature\": 0.3, " + HELLO
                        + "}");

        assertThat(m.model()).isEqualTo("eu.anthropic.c");
        assertThat(m.stream()).isTrue();
        assertThat(m.request().params().maxTokens()).isEqualTo(7);
        assertThat(m.request().params().temperature()).isEqualTo(0.3);
        assertThat(parse("2026-10-21", "{\"model\": \"m\", \"max_tokens\": 7, " + HELLO + "}").stream())
                .isFalse();
    }

    @Test
    void version2026_10_21_refusesWhatItRemoved_andTheClassicVersionTakesIt() {
        for (String removed : new String[] {"\"temperature\": 0.5", "\"top_p\": 0.5", "\"top_k\": 5"}) {
            String body = "{\"model\": \"m\", \"max_tokens\": 7, " + removed + ", " + HELLO + "}";
            assertThat(refused("2026-10-21", body)).contains("not supported in API version 2026-10-21");
            assertThat(parse("2023-06-01", body).model()).isEqualTo("m");
        }
        String cited = """
                {"model": "m", "max_tokens": 7, "messages": [{"role": "user", "content": [{"type": "text",
                 "text": "hi", "citations": [{"type": "char_location", "cited_text": "h", "document_index": 0,
                 "start_char_index": 0, "end_char_index": 1}]}]}]}""";
        assertThat(refused("2026-10-21", cited)).startsWith("messages.0.content.0.citations:");
    }

    @Test
    void whatTheEndpointDoesNotTake_isRefusedNamingIt() {
        assertThat(refused("2024-01-01", "{}")).startsWith("anthropic-version: '2024-01-01' is not a valid version");
        assertThat(refused("2023-06-01", "{\"max_tokens\": 7, " + HELLO + "}")).isEqualTo("model: Field required");
        assertThat(refused("2023-06-01", "{\"model\": 5, \"max_tokens\": 7, " + HELLO + "}"))
                .startsWith("model:");
        assertThat(refused("2023-06-01", "{\"model\": \"m\", \"stream\": \"yes\", \"max_tokens\": 7, " + HELLO + "}"))
                .startsWith("stream:");
        assertThat(refused(
                        "2023-06-01",
                        "{\"model\": \"m\", \"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 7, " + HELLO
                                + "}"))
                .startsWith("anthropic_version: Extra inputs are not permitted");
        assertThat(refused("2023-06-01", "{\"model\": \"m\", \"max_tokens\": 7, \"nope\": 1, " + HELLO + "}"))
                .contains("nope");
    }
}
