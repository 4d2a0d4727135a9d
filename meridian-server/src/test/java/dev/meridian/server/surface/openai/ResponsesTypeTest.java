package dev.meridian.server.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.TypeMutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every member of a rich Responses API request, given a value of another type, is refused, never coerced. */
class ResponsesTypeTest {
    static final String BODY = """
            {"model": "eu.amazon.nova-2-lite-v1:0",
             "instructions": "be brief",
             "input": [
               {"role": "developer", "content": "answer in French"},
               {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
               {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
                "content": [{"type": "output_text", "text": "calling", "annotations": []}]},
               {"type": "reasoning", "id": "rs_1", "summary": [],
                "content": [{"type": "reasoning_text", "text": "t"}], "encrypted_content": "signature:c2ln"},
               {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{\\"a\\": 1}",
                "id": "fc_1", "status": "completed"},
               {"type": "function_call_output", "call_id": "c1", "output": "42"}],
             "max_output_tokens": 100, "temperature": 0.5, "top_p": 0.9,
             "stream": false, "stream_options": {"include_obfuscation": false},
             "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object"},
                        "strict": false}],
             "tool_choice": "auto", "parallel_tool_calls": true, "user": "u1", "store": false,
             "metadata": {"team": "claims"}, "reasoning": {"effort": "low", "summary": "auto"},
             "text": {"format": {"type": "text"}, "verbosity": "low"}, "truncation": "disabled",
             "service_tier": "auto", "prompt_cache_key": "k", "prompt_cache_retention": "24h",
             "safety_identifier": "s", "include": ["reasoning.encrypted_content", "message.output_text.logprobs"], "top_logprobs": 2}
            """;

    /**
     * Mutations that are valid requests: {@code input}, {@code content} and {@code output} take a string or an
     * array, and a tool's {@code parameters} is a JSON Schema passed to the model as it is.
     */
    static boolean valid(TypeMutations.Mutation m) {
        boolean toString = m.replacement().startsWith("\"");
        return (toString
                        && (m.path().equals("input")
                                || m.path().endsWith(".content")
                                || m.path().endsWith(".output")))
                || m.path().startsWith("tools[0].parameters.")
                || m.path().startsWith("input[2].content[0].annotations") // earlier output, read for its text
                || m.path().equals("input[2].id")
                || m.path().equals("input[2].status")
                || m.path().equals("input[3].id") // an earlier reasoning item's own id
                || m.path().equals("input[4].id")
                || m.path().equals("input[4].status");
    }

    static List<TypeMutations.Mutation> mutations() {
        return TypeMutations.of(BODY).stream().filter(m -> !valid(m)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void aMemberOfAnotherType_isRefused(TypeMutations.Mutation m) {
        assertThat(ResponsesCodec.parse(BODY.getBytes(StandardCharsets.UTF_8)))
                .as("the unmutated body parses")
                .isNotNull();
        GatewayException refused =
                ChatCompletionsTypeTest.catchGateway(() -> ResponsesCodec.parse(Json.bytes(m.body())));
        assertThat(refused).as("accepted: " + m).isNotNull();
        assertThat(refused.kind()).isEqualTo(ErrorKind.VALIDATION);
    }
}
