package dev.meridian.provider.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** The canonical model to the AWS SDK's Converse model objects and back. */
final class BedrockModel {
    private BedrockModel() {}

    /** @param additionalFields Converse's {@code additionalModelRequestFields}, or {@code null} for none */
    record Parts(
            List<Message> messages,
            List<SystemContentBlock> system,
            InferenceConfiguration inference,
            ToolConfiguration tools,
            Document additionalFields) {}

    /**
     * What Converse has no member for, the way {@code modelId}'s family takes it in {@code
     * additionalModelRequestFields}: a top-k limit (Anthropic and Mistral models {@code {"top_k": k}}, Amazon Nova
     * {@code {"inferenceConfig": {"topK": k}}}) and thinking (Anthropic {@code {"thinking": {"type": "enabled",
     * "budget_tokens": n}}}, Nova {@code {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": e}}}); {@code
     * null} with neither, or for a family that takes neither (a model that always reasons needs no asking).
     */
    static Document additionalFields(String modelId, Integer topK, Reasoning reasoning) {
        boolean anthropic = modelId.contains("anthropic.");
        boolean nova = modelId.contains("amazon.nova");
        ObjectNode fields = JSON.createObjectNode();
        if (topK != null && (anthropic || modelId.contains("mistral."))) {
            fields.put("top_k", topK);
        } else if (topK != null && nova) {
            fields.putObject("inferenceConfig").put("topK", topK);
        }
        if (reasoning != null && anthropic) {
            fields.putObject("thinking").put("type", "enabled").put("budget_tokens", reasoning.impliedBudget());
        } else if (reasoning != null && nova) {
            fields.putObject("reasoningConfig")
                    .put("type", "enabled")
                    .put("maxReasoningEffort", reasoning.impliedEffort());
        }
        return fields.isEmpty() ? null : document(fields.toString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The canonical response format (OpenAI's {@code response_format} as JSON text) as Bedrock's
     * {@code outputConfig}: a {@code json_schema} becomes {@code textFormat} with the schema as a string; {@code null}
     * for anything Bedrock has no equivalent of ({@code json_object}).
     */
    static OutputConfig outputConfig(String responseFormat) {
        JsonNode format;
        try {
            format = JSON.readTree(responseFormat);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode definition = format.path("json_schema");
        if (!"json_schema".equals(format.path("type").asText())
                || !definition.path("schema").isObject()) {
            return null;
        }
        JsonSchemaDefinition schema = JsonSchemaDefinition.builder()
                .schema(definition.get("schema").toString())
                .name(definition.path("name").textValue()) // null unless a string
                .description(definition.path("description").textValue())
                .build();
        return OutputConfig.builder()
                .textFormat(f -> f.type(OutputFormatType.JSON_SCHEMA).structure(s -> s.jsonSchema(schema)))
                .build();
    }

    static Parts request(ChatRequest r, String modelId) {
        List<Message> messages = new ArrayList<>();
        for (dev.meridian.core.chat.Message m : r.messages()) {
            List<ContentBlock> blocks = new ArrayList<>();
            for (dev.meridian.core.chat.ContentBlock b : m.content()) {
                blocks.add(block(b));
            }
            messages.add(Message.builder()
                    .role(m.role() == Role.USER ? ConversationRole.USER : ConversationRole.ASSISTANT)
                    .content(blocks)
                    .build());
        }
        List<SystemContentBlock> system =
                r.system().stream().map(SystemContentBlock::fromText).toList();
        var p = r.params();
        InferenceConfiguration inference = InferenceConfiguration.builder()
                .maxTokens(p.maxTokens())
                .temperature(p.temperature() == null ? null : p.temperature().floatValue())
                .topP(p.topP() == null ? null : p.topP().floatValue())
                .stopSequences(p.stopSequences().isEmpty() ? null : p.stopSequences())
                .build();
        ToolConfiguration tools = null;
        if (!r.tools().isEmpty()) {
            List<Tool> specs = r.tools().stream()
                    .map(t -> Tool.fromToolSpec(ToolSpecification.builder()
                            .name(t.name())
                            .description(t.description().isEmpty() ? null : t.description())
                            .inputSchema(ToolInputSchema.fromJson(document(t.inputSchemaJson())))
                            .build()))
                    .toList();
            ToolConfiguration.Builder tb = ToolConfiguration.builder().tools(specs);
            ToolChoice choice = r.toolChoice();
            switch (choice.mode()) {
                case AUTO -> tb.toolChoice(c -> c.auto(AutoToolChoice.builder().build()));
                case ANY -> tb.toolChoice(c -> c.any(AnyToolChoice.builder().build()));
                case NONE -> {} // Converse has no "none"; BedrockProvider decides what an invocation sends
                case TOOL ->
                    tb.toolChoice(c -> c.tool(
                            SpecificToolChoice.builder().name(choice.name()).build()));
            }
            tools = tb.build();
        }
        return new Parts(messages, system, inference, tools, additionalFields(modelId, p.topK(), p.reasoning()));
    }

    private static ContentBlock block(dev.meridian.core.chat.ContentBlock b) {
        return switch (b) {
            case dev.meridian.core.chat.ContentBlock.Text t -> ContentBlock.fromText(t.text());
            case dev.meridian.core.chat.ContentBlock.Json j -> ContentBlock.fromText(j.json());
            case dev.meridian.core.chat.ContentBlock.Image i ->
                ContentBlock.fromImage(ImageBlock.builder()
                        .format(ImageFormat.fromValue(i.format()))
                        .source(ImageSource.fromBytes(bytes(i.base64())))
                        .build());
            case dev.meridian.core.chat.ContentBlock.Document d ->
                ContentBlock.fromDocument(DocumentBlock.builder()
                        .format(DocumentFormat.fromValue(d.format()))
                        .name(d.name())
                        .source(DocumentSource.fromBytes(bytes(d.base64())))
                        .build());
            case dev.meridian.core.chat.ContentBlock.Reasoning r ->
                ContentBlock.fromReasoningContent(
                        r.redactedBase64() != null
                                ? ReasoningContentBlock.fromRedactedContent(bytes(r.redactedBase64()))
                                : ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder()
                                        .text(r.text())
                                        .signature(r.signature())
                                        .build()));
            case dev.meridian.core.chat.ContentBlock.ToolUse u ->
                ContentBlock.fromToolUse(ToolUseBlock.builder()
                        .toolUseId(u.id())
                        .name(u.name())
                        .input(document(u.inputJson()))
                        .build());
            case dev.meridian.core.chat.ContentBlock.ToolResult r ->
                ContentBlock.fromToolResult(ToolResultBlock.builder()
                        .toolUseId(r.toolUseId())
                        .status(r.error() ? ToolResultStatus.ERROR : ToolResultStatus.SUCCESS)
                        .content(r.content().stream()
                                .map(c -> c instanceof dev.meridian.core.chat.ContentBlock.Json j
                                        ? ToolResultContentBlock.fromJson(document(j.json()))
                                        : ToolResultContentBlock.fromText(
                                                ((dev.meridian.core.chat.ContentBlock.Text) c).text()))
                                .toList())
                        .build());
        };
    }

    /** Converse's reasoning block in the canonical form: its text and signature, or its redacted bytes. */
    static dev.meridian.core.chat.ContentBlock.Reasoning reasoning(ReasoningContentBlock r) {
        if (r.redactedContent() != null) {
            return dev.meridian.core.chat.ContentBlock.Reasoning.redacted(base64(r.redactedContent()));
        }
        return dev.meridian.core.chat.ContentBlock.Reasoning.text(
                r.reasoningText().text(), r.reasoningText().signature());
    }

    /** A streamed reasoning delta in the canonical form: text, signature or redacted bytes. */
    static ChatEvent.ReasoningDelta reasoningDelta(int index, ReasoningContentBlockDelta d) {
        if (d.text() != null) {
            return ChatEvent.ReasoningDelta.text(index, d.text());
        }
        if (d.signature() != null) {
            return ChatEvent.ReasoningDelta.signature(index, d.signature());
        }
        return ChatEvent.ReasoningDelta.redacted(index, base64(d.redactedContent()));
    }

    /** Bytes from the SDK as the canonical model carries them, base64. */
    static String base64(SdkBytes bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    /** An attachment's bytes (the canonical model carries them as base64) for the SDK. */
    private static SdkBytes bytes(String base64) {
        return SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode(base64));
    }

    /** Converse's answer in the canonical form; {@code stops} are the stop sequences the request asked for. */
    static ChatResponse response(ConverseResponse r, List<String> stops) {
        List<dev.meridian.core.chat.ContentBlock> blocks = new ArrayList<>();
        for (ContentBlock b : r.output().message().content()) {
            if (b.text() != null) {
                blocks.add(new dev.meridian.core.chat.ContentBlock.Text(b.text()));
            } else if (b.reasoningContent() != null) {
                blocks.add(reasoning(b.reasoningContent()));
            } else if (b.toolUse() != null) {
                blocks.add(new dev.meridian.core.chat.ContentBlock.ToolUse(
                        b.toolUse().toolUseId(),
                        b.toolUse().name(),
                        json(b.toolUse().input())));
            }
        }
        StopReason reason = stopReason(r.stopReasonAsString());
        return new ChatResponse(
                new dev.meridian.core.chat.Message(Role.ASSISTANT, blocks),
                reason,
                new Usage(r.usage().inputTokens(), r.usage().outputTokens()),
                List.of(),
                stopSequence(reason, stops));
    }

    /**
     * The stop sequence that ended generation, as far as Converse tells: it says a stop sequence did, not which (the
     * model's own field for it is asked per model family), so with one asked it is that one, else unknown (null).
     */
    static String stopSequence(StopReason reason, List<String> stops) {
        return reason == StopReason.STOP_SEQUENCE && stops.size() == 1 ? stops.get(0) : null;
    }

    static StopReason stopReason(String reason) {
        if (reason == null) {
            return StopReason.END_TURN;
        }
        return switch (reason) {
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "content_filtered", "guardrail_intervened" -> StopReason.CONTENT_FILTERED;
            default -> StopReason.END_TURN;
        };
    }

    static Document document(String json) {
        return DocumentJson.read(json);
    }

    static String json(Document document) {
        return DocumentJson.write(document);
    }
}
