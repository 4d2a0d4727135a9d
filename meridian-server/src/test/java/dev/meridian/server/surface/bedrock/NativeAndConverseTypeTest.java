package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.TypeMutations;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every member of a rich Converse request and of a rich Anthropic native body, given a value of another type, is
 * refused with a ValidationException, never coerced (the OpenAI surface's twin is {@code ChatCompletionsTypeTest}).
 */
class NativeAndConverseTypeTest {
    static final String CONVERSE = """
            {"system": [{"text": "be brief"}],
             "messages": [
               {"role": "user", "content": [{"text": "hi"}]},
               {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "f", "input": {"a": 1}}}]},
               {"role": "user", "content": [{"toolResult": {"toolUseId": "t1", "content": [{"text": "42"}],
                                                            "status": "success"}}]}],
             "inferenceConfig": {"maxTokens": 10, "temperature": 0.5, "topP": 0.9, "stopSequences": ["x"]},
             "toolConfig": {"tools": [{"toolSpec": {"name": "f", "description": "d",
                                                    "inputSchema": {"json": {"type": "object"}}}}],
                            "toolChoice": {"auto": {}}},
             "requestMetadata": {"k": "v"},
             "performanceConfig": {"latency": "standard"},
             "serviceTier": {"type": "default"},
             "outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {
                 "name": "n", "description": "d", "schema": "{\\"type\\": \\"object\\"}"}}}}}
            """;

    static final String ANTHROPIC = """
            {"anthropic_version": "bedrock-2023-05-31", "anthropic_beta": ["b"], "metadata": {}, "max_tokens": 10,
             "system": [{"type": "text", "text": "be brief"}],
             "messages": [
               {"role": "user", "content": [{"type": "text", "text": "hi"}]},
               {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {"a": 1}}]},
               {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1",
                                             "content": [{"type": "text", "text": "42"}], "is_error": false}]}],
             "temperature": 0.5, "top_p": 0.9, "top_k": 5, "stop_sequences": ["x"],
             "tools": [{"name": "f", "description": "d", "input_schema": {"type": "object"}}],
             "tool_choice": {"type": "tool", "name": "f", "disable_parallel_tool_use": true}}
            """;

    /**
     * Mutations that are valid requests: a tool's input and schema are JSON the model receives as they are,
     * Anthropic's {@code system} and {@code content} take a string or a list, and a tool result's {@code content}
     * likewise.
     */
    static boolean valid(String format, TypeMutations.Mutation m) {
        boolean opaque = m.path().contains(".input.")
                || m.path().contains(".json.")
                || m.path().contains("input_schema.");
        boolean stringForList = m.replacement().startsWith("\"")
                && format.equals("anthropic")
                && (m.path().equals("system")
                        || m.path().matches("messages\\[\\d]\\.content")
                        || m.path().matches("messages\\[2]\\.content\\[0]\\.content"));
        return opaque || stringForList;
    }

    static Stream<Arguments> mutations() {
        return Stream.concat(
                TypeMutations.of(CONVERSE).stream()
                        .filter(m -> !valid("converse", m))
                        .map(m -> Arguments.of("converse", m)),
                TypeMutations.of(ANTHROPIC).stream()
                        .filter(m -> !valid("anthropic", m))
                        .map(m -> Arguments.of("anthropic", m)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mutations")
    void aMemberOfAnotherType_isRefused(String format, TypeMutations.Mutation m) {
        Consumer<String> parse = format.equals("converse")
                ? body -> ConverseCodec.parse(body.getBytes(StandardCharsets.UTF_8))
                : body -> new AnthropicFormat().parse(ConverseCodec.readObject(body.getBytes(StandardCharsets.UTF_8)));
        parse.accept(format.equals("converse") ? CONVERSE : ANTHROPIC); // the unmutated body parses

        GatewayException refused = null;
        try {
            parse.accept(new String(Json.bytes(m.body()), StandardCharsets.UTF_8));
        } catch (GatewayException e) {
            refused = e;
        }
        assertThat(refused).as("accepted: " + format + " " + m).isNotNull();
        assertThat(refused.kind()).isEqualTo(ErrorKind.VALIDATION);
    }
}
