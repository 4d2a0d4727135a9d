package dev.meridian.server.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.TypeMutations;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every member of a rich chat completion request, given a value of another type, is refused, never coerced. */
class ChatCompletionsTypeTest {
    static final String BODY = """
            {"model": "eu.amazon.nova-2-lite-v1:0",
             "messages": [
               {"role": "system", "content": "be brief"},
               {"role": "user", "content": [{"type": "text", "text": "hi"}]},
               {"role": "assistant", "content": "calling", "tool_calls": [
                 {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\": 1}"}}]},
               {"role": "tool", "tool_call_id": "c1", "content": "42"}],
             "max_tokens": 10, "temperature": 0.5, "top_p": 0.9, "n": 1, "stop": ["x"],
             "stream": false, "stream_options": {"include_usage": true},
             "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                        "parameters": {"type": "object"}}}],
             "tool_choice": "auto", "user": "u1", "seed": 7, "parallel_tool_calls": true, "store": false,
             "metadata": {"team": "claims"}, "reasoning_effort": "low", "service_tier": "auto", "verbosity": "low",
             "prompt_cache_key": "k", "prompt_cache_retention": "24h", "safety_identifier": "s"}
            """;

    /**
     * Mutations that are valid requests: {@code content} and {@code stop} take a string or an array, and a tool's
     * {@code parameters} is a JSON Schema passed to the model as it is (its inner types are the schema's business).
     */
    static boolean valid(TypeMutations.Mutation m) {
        return (m.path().equals("messages[1].content") && m.replacement().startsWith("\""))
                || (m.path().equals("stop") && m.replacement().startsWith("\""))
                || m.path().startsWith("tools[0].function.parameters.");
    }

    static List<TypeMutations.Mutation> mutations() {
        return TypeMutations.of(BODY).stream().filter(m -> !valid(m)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void aMemberOfAnotherType_isRefused(TypeMutations.Mutation m) {
        assertThat(ChatCompletionsCodec.parse(BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .as("the unmutated body parses")
                .isNotNull();
        GatewayException refused = catchGateway(() -> ChatCompletionsCodec.parse(Json.bytes(m.body())));
        assertThat(refused).as("accepted: " + m).isNotNull();
        assertThat(refused.kind()).isEqualTo(ErrorKind.VALIDATION);
    }

    static GatewayException catchGateway(Runnable parse) {
        try {
            parse.run();
            return null;
        } catch (GatewayException e) {
            return e;
        }
    }
}
