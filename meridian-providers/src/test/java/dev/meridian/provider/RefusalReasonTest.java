package dev.meridian.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalReasonTest {
    static UpstreamException refusal(String body) {
        return RefusalReason.refusalOf(body.getBytes(StandardCharsets.UTF_8), "vllm-0.eu.internal", "sk-live-42");
    }

    static String reason(String body) {
        return refusal(body).getMessage();
    }

    /**
     * Clients act on a conversation too long for the model (they shorten it), so that refusal has its own kind, read
     * from OpenAI's error code or from the words model servers use; any other refusal is invalid input.
     */
    @Test
    void aRequestTooLongForTheModel_isToldApart() {
        assertThat(refusal("{\"error\":{\"message\":\"Too long.\",\"code\":\"context_length_exceeded\"}}")
                        .kind())
                .isEqualTo(FailureKind.CONTEXT_EXCEEDED);
        for (String said : List.of(
                "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens",
                "Input is too long for requested model.",
                "prompt is too long: 215000 tokens > 200000 maximum",
                "input length and `max_tokens` exceed context limit: 198000 + 64000 > 200000",
                "the request exceeds the available context size, try increasing it")) {
            assertThat(RefusalReason.refusal(said, null).kind()).as(said).isEqualTo(FailureKind.CONTEXT_EXCEEDED);
        }
        assertThat(refusal("{\"error\":{\"message\":\"temperature must be at most 2\",\"code\":null}}")
                        .kind())
                .isEqualTo(FailureKind.INVALID);
        assertThat(refusal("not json").kind()).isEqualTo(FailureKind.INVALID);
        assertThat(RefusalReason.refusal("Malformed input request: extraneous key [foo]", null)
                        .kind())
                .isEqualTo(FailureKind.INVALID);
    }

    @Test
    void takesTheMessageOfEveryModelServersErrorShape() {
        assertThat(reason("{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\"}}"))
                .isEqualTo("too long");
        assertThat(reason("{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\",\"code\":400}"))
                .isEqualTo("too long");
        assertThat(reason("{\"error\":\"too long\"}")).isEqualTo("too long");
    }

    @Test
    void anythingElse_givesNoReason() {
        assertThat(reason("<html>Bad Request</html>")).isEmpty();
        assertThat(reason("[\"too long\"]")).isEmpty();
        assertThat(reason("{\"detail\":[{\"msg\":\"field required\"}]}")).isEmpty();
        assertThat(reason("{\"error\":{\"code\":400}}")).isEmpty();
        assertThat(reason("")).isEmpty();
    }

    @Test
    void masksWhatLocatesTheUpstreamOrCouldBeItsKey() {
        String masked = reason("{\"error\":{\"message\":\"key sk-live-42 refused at http://10.0.0.5:8000/v1 by"
                + " VLLM-0.eu.internal (10.0.0.5:8000, [fe80::1]:8000, 2001:db8:0:0:1:2:3:4)\"}}");
        assertThat(masked)
                .isEqualTo("key [redacted] refused at [url] by [upstream] ([address], [address], [address])")
                .doesNotContain("10.0.0.5", "sk-live", "vllm-0", "fe80", "2001");
    }

    /** vLLM's validation errors are pydantic's, which quote the refused value: a prompt must not leak that way. */
    @Test
    void masksTheRequestAPydanticMessageQuotes() {
        String vllm = "1 validation error for ChatCompletionRequest\nmessages.0.content\n  Input should be a valid"
                + " string [type=string_type, input_value=[{'type': 'text', 'text': 'my secret diagnosis'}],"
                + " input_type=list]\n    For further information visit https://errors.pydantic.dev/2.9/v/string_type";
        assertThat(RefusalReason.masked(vllm, null, null))
                .isEqualTo("1 validation error for ChatCompletionRequest messages.0.content Input should be a valid"
                        + " string [type=string_type, input_value=[masked], input_type=list] For further information"
                        + " visit [url]");
        assertThat(RefusalReason.masked("bad: input_value='my secret, with a comma'", null, null))
                .isEqualTo("bad: input_value=[masked]");
        assertThat(RefusalReason.masked(
                        "a input_value=1, input_type=int; b input_value='secret', input_type=str", null, null))
                .isEqualTo("a input_value=[masked], input_type=int; b input_value=[masked], input_type=str");
    }

    @Test
    void keepsWhatTheCallerNeeds_timesNumbersAndModelNamesIncluded() {
        String vllm = "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens"
                + " (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or"
                + " completion. (at 12:30:45, model nova-lite:v1.5)";
        assertThat(RefusalReason.masked(vllm, "vllm-0", null)).isEqualTo(vllm);
    }

    @Test
    void isOneBoundedLine() {
        assertThat(RefusalReason.masked("line one\r\n\tline two\u0000", null, null))
                .isEqualTo("line one line two");
        String bounded = RefusalReason.masked("x".repeat(5_000), null, null);
        assertThat(bounded).hasSize(RefusalReason.MAX_CHARS).endsWith("…");
        assertThat(RefusalReason.masked(null, null, null)).isEmpty();
        assertThat(RefusalReason.masked("  ", null, null)).isEmpty();
    }
}
