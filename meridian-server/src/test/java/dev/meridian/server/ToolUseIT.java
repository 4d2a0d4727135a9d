package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** Tool use (function calling) in Converse and ConverseStream through the real AWS SDK. */
class ToolUseIT {
    static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static ToolConfiguration weatherTool() {
        return ToolConfiguration.builder()
                .tools(Tool.fromToolSpec(ToolSpecification.builder()
                        .name("get_weather")
                        .description("Current weather in a city")
                        .inputSchema(ToolInputSchema.fromJson(Document.mapBuilder()
                                .putString("type", "object")
                                .putDocument(
                                        "properties",
                                        Document.mapBuilder()
                                                .putDocument(
                                                        "city",
                                                        Document.mapBuilder()
                                                                .putString("type", "string")
                                                                .build())
                                                .build())
                                .build()))
                        .build()))
                .build();
    }

    static Message user(String text) {
        return Message.builder()
                .role(ConversationRole.USER)
                .content(ContentBlock.fromText(text))
                .build();
    }

    @Test
    void converse_withTools_callsTheToolThenAnswersItsResult() {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway.server(), "eu-west-3")) {
            Message question = user("What is the weather in Paris?");
            ConverseResponse first =
                    client.converse(b -> b.modelId(EU_NOVA).messages(question).toolConfig(weatherTool()));

            assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
            ToolUseBlock use = first.output().message().content().stream()
                    .map(ContentBlock::toolUse)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElseThrow();
            assertThat(use.name()).isEqualTo("get_weather");
            assertThat(use.input().asMap().get("city").isString())
                    .as("the arguments are an instance of the tool's schema")
                    .isTrue();

            Message toolResult = Message.builder()
                    .role(ConversationRole.USER)
                    .content(ContentBlock.fromToolResult(ToolResultBlock.builder()
                            .toolUseId(use.toolUseId())
                            .content(ToolResultContentBlock.fromJson(Document.mapBuilder()
                                    .putNumber("celsius", 21)
                                    .build()))
                            .build()))
                    .build();
            ConverseResponse second = client.converse(b -> b.modelId(EU_NOVA)
                    .messages(question, first.output().message(), toolResult)
                    .toolConfig(weatherTool()));
            assertThat(second.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(second.output().message().content().get(0).text()).isNotBlank();
        }
    }

    @Test
    void converseStream_withTools_streamsAToolUseBlock() throws Exception {
        List<ConverseStreamOutput> events = TestGateways.streamEu(
                gateway.server(), "eu-west-3", "Weather in Rome?", b -> b.toolConfig(weatherTool()));
        ContentBlockStartEvent start = events.stream()
                .filter(e -> e instanceof ContentBlockStartEvent)
                .map(e -> (ContentBlockStartEvent) e)
                .findFirst()
                .orElseThrow();
        assertThat(start.start().toolUse().name()).isEqualTo("get_weather");
        String input = events.stream()
                .filter(e -> e instanceof ContentBlockDeltaEvent d && d.delta().toolUse() != null)
                .map(e -> ((ContentBlockDeltaEvent) e).delta().toolUse().input())
                .reduce("", String::concat);
        assertThat(input).startsWith("{\"city\":\"");
        assertThat(events)
                .anySatisfy(e -> assertThat(e.sdkEventType().toString()).isEqualTo("messageStop"));
    }
}
