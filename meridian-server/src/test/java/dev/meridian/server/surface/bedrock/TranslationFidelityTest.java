package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.Usage;
import dev.meridian.provider.openai.OpenAiWire;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.openai.ChatCompletionsCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every mapped field survives Bedrock Converse → canonical → OpenAI (the upstream wire) → canonical (the OpenAI
 * surface), table-driven; and answers survive canonical → OpenAI response → canonical.
 */
class TranslationFidelityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                // plain text, one turn
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}",
                // system prompts and every sampling parameter OpenAI can carry
                "{\"system\":[{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":50,\"temperature\":0.3,\"topP\":0.9,\"stopSequences\":[\"END\",\"STOP\"]}}",
                // an image between two text parts
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is this?\"},"
                        + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBORw0KGgo=\"}}},{\"text\":\"Be brief.\"}]}]}",
                // multi-turn
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"One\"}]},{\"role\":\"assistant\",\"content\":[{\"text\":\"Two\"}]},"
                        + "{\"role\":\"user\",\"content\":[{\"text\":\"Three\"}]}]}",
                // tools: a call and its (text) result, with tool choice 'tool'
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Weather?\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Checking.\"},{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}}]},"
                        + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"text\":\"21 C\"}]}}]}],"
                        + "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Weather\","
                        + "\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}}],"
                        + "\"toolChoice\":{\"tool\":{\"name\":\"get_weather\"}}}}",
                // tool choice 'any' and two tools
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Use a tool\"}]}],"
                        + "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"a\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}},"
                        + "{\"toolSpec\":{\"name\":\"b\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}],\"toolChoice\":{\"any\":{}}}}",
            })
    void converseRequest_survivesTheOpenAiWire(String converse) {
        ChatRequest fromBedrock = ConverseCodec.parse(converse.getBytes(StandardCharsets.UTF_8));
        byte[] openAi = OpenAiWire.request(fromBedrock, "eu.amazon.nova-2-lite-v1:0", false);
        ChatRequest fromOpenAi = ChatCompletionsCodec.parse(openAi).request();
        assertThat(fromOpenAi).isEqualTo(fromBedrock);
    }

    @ParameterizedTest
    @EnumSource(
            value = StopReason.class,
            names = {"END_TURN", "MAX_TOKENS", "TOOL_USE", "CONTENT_FILTERED"})
    void answer_survivesTheOpenAiResponse(StopReason reason) {
        List<ContentBlock> content = reason == StopReason.TOOL_USE
                ? List.of(new ContentBlock.Text("Calling."), new ContentBlock.ToolUse("t9", "lookup", "{\"q\":\"x\"}"))
                : List.of(new ContentBlock.Text("An answer."));
        ChatResponse answer = new ChatResponse(new Message(Role.ASSISTANT, content), reason, new Usage(12, 34));
        byte[] wire = Json.bytes(ChatCompletionsCodec.render(answer, "chatcmpl-1", "m", 0));
        assertThat(OpenAiWire.response(wire)).isEqualTo(answer);
    }

    @ParameterizedTest
    @EnumSource(StopReason.class)
    void stopReasons_haveAConverseName(StopReason reason) {
        assertThat(ConverseCodec.stopReason(reason)).isNotBlank();
        assertThat(AnthropicFormat.stopReason(reason)).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"JSON please\"}],\"response_format\":{\"type\":\"json_object\"}}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"q\"}],"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":{\"type\":\"object\"}}}}",
            })
    void openAiRequest_survivesTheUpstreamWire(String body) {
        ChatRequest fromSurface = ChatCompletionsCodec.parse(body.getBytes(StandardCharsets.UTF_8))
                .request();
        ChatRequest again = ChatCompletionsCodec.parse(OpenAiWire.request(fromSurface, "m", false))
                .request();
        assertThat(again).isEqualTo(fromSurface);
        assertThat(again.responseFormat()).isNotNull();
    }

    /**
     * OpenAI conversations Converse would refuse (a system prompt alone, an assistant first), OpenAI's most stop
     * sequences and {@code parallel_tool_calls: false} reach an OpenAI-compatible upstream as the caller sent them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Summarise the rules.\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"Hi\"},{\"role\":\"user\",\"content\":\"q\"}],"
                        + "\"stop\":[\"a\",\"b\",\"c\",\"d\"]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"parallel_tool_calls\":false,"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}",
            })
    void openAiConversation_survivesTheUpstreamWire(String body) {
        ChatRequest fromSurface = ChatCompletionsCodec.parse(body.getBytes(StandardCharsets.UTF_8))
                .request();
        assertThat(ChatCompletionsCodec.parse(OpenAiWire.request(fromSurface, "m", false))
                        .request())
                .isEqualTo(fromSurface);
    }

    /** Anthropic's {@code disable_parallel_tool_use} is OpenAI's {@code parallel_tool_calls: false} upstream. */
    @Test
    void anthropicsDisableParallelToolUse_isOneCallAtMost() throws Exception {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],"
                + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}}";
        ChatRequest request = new AnthropicFormat().parse(Json.MAPPER.readTree(body));
        assertThat(request.toolChoice().singleCall()).isTrue();
        assertThat(Json.MAPPER
                        .readTree(OpenAiWire.request(request, "m", false))
                        .path("parallel_tool_calls")
                        .asBoolean(true))
                .isFalse();
    }
}
