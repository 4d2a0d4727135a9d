package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Log probabilities are asked for as OpenAI asks, and read from what an OpenAI-compatible server answers. */
class OpenAiWireLogprobsTest {
    static JsonNode wire(Integer logprobs) throws Exception {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "hi")),
                new InferenceParams(10, null, null, List.of(), null, null, null, null, logprobs, Map.of()),
                Map.of());
        return OpenAiWire.MAPPER.readTree(
                OpenAiWire.request(request, "m", false, new OpenAiWire.Dialect(false, false)));
    }

    @Test
    void asked_logprobsAndTheNumberOfAlternativesAreSent() throws Exception {
        assertThat(wire(3).path("logprobs").booleanValue()).isTrue();
        assertThat(wire(3).path("top_logprobs").intValue()).isEqualTo(3);
        assertThat(wire(0).path("logprobs").booleanValue()).isTrue();
        assertThat(wire(0).has("top_logprobs")).isFalse(); // OpenAI's default, and servers that refuse 0 exist
        assertThat(wire(null).has("logprobs")).isFalse();
    }

    @Test
    void answered_theTokensAndAlternativesAreRead() {
        String body = """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop",
                 "logprobs":{"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],
                   "top_logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105]},
                                   {"token":"Hello","logprob":-1.5,"bytes":null}]}],"refusal":null}}],
                 "usage":{"prompt_tokens":3,"completion_tokens":1}}
                """;
        assertThat(OpenAiWire.response(body.getBytes(StandardCharsets.UTF_8)).logprobs())
                .containsExactly(new TokenLogprob(
                        "Hi",
                        -0.25,
                        List.of(
                                new TokenLogprob.Alternative("Hi", -0.25),
                                new TokenLogprob.Alternative("Hello", -1.5))));
    }

    /**
     * A byte-level token that is part of a character has a text that cannot show it (vLLM writes
     * {@code bytes:\xe2}); its bytes are relayed as the server reported them, not taken from that text.
     */
    @Test
    void partOfACharacter_keepsTheServersBytes() {
        String body = """
                {"choices":[{"message":{"content":"—"},"finish_reason":"stop",
                 "logprobs":{"content":[{"token":"bytes:\\\\xe2","logprob":-0.5,"bytes":[226],"top_logprobs":[]},
                                        {"token":"bytes:\\\\x80\\\\x94","logprob":-0.1,"bytes":[128,148]}]}}]}
                """;
        assertThat(OpenAiWire.response(body.getBytes(StandardCharsets.UTF_8)).logprobs())
                .extracting(TokenLogprob::bytes)
                .containsExactly(List.of(226), List.of(128, 148));
    }

    @Test
    void notAsked_noneAreRead() {
        String body = """
                {"choices":[{"message":{"content":"Hi"},"finish_reason":"stop","logprobs":null}],"usage":{}}
                """;
        assertThat(OpenAiWire.response(body.getBytes(StandardCharsets.UTF_8)).logprobs())
                .isEmpty();
    }

    /** A server that sends another shape is broken: a server error (the router tries elsewhere), never a crash. */
    @Test
    void anotherShape_isAServerError() {
        for (String logprobs : List.of(
                "{\"content\":{}}",
                "{\"content\":[{\"logprob\":-1}]}",
                "{\"content\":[{\"token\":\"a\",\"logprob\":-1,\"bytes\":[256]}]}",
                "{\"content\":[{\"token\":\"a\",\"logprob\":\"x\"}]}")) {
            String body = "{\"choices\":[{\"message\":{\"content\":\"a\"},\"logprobs\":" + logprobs + "}]}";
            assertThatThrownBy(() -> OpenAiWire.response(body.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(
                            UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_ERROR));
        }
    }
}
