package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.auth.AuthSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Documents (a contract, a spreadsheet) as callers attach them: Converse's document blocks through the AWS SDK for
 * Java, and OpenAI's file parts through the official OpenAI client.
 */
class DocumentInputIT {
    static final String MODEL = "eu.amazon.nova-2-lite-v1:0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    static DocumentBlock document(DocumentFormat format, String name, byte[] bytes) {
        return DocumentBlock.builder()
                .format(format)
                .name(name)
                .source(s -> s.bytes(SdkBytes.fromByteArray(bytes)))
                .build();
    }

    static ConverseResponse converse(BedrockRuntimeClient client, DocumentBlock... documents) {
        List<ContentBlock> content = new ArrayList<>();
        content.add(ContentBlock.fromText("Summarise the attached."));
        for (DocumentBlock d : documents) {
            content.add(ContentBlock.fromDocument(d));
        }
        return client.converse(b -> b.modelId(MODEL)
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(content)
                        .build()));
    }

    @Test
    void textAndPdfDocuments_areAnswered_andCountAsInput() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            int promptOnly = client.converse(b -> b.modelId(MODEL)
                            .messages(Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromText("Summarise the attached."))
                                    .build()))
                    .usage()
                    .inputTokens();
            byte[] policy = "Personal data stays in the European Union at all times. "
                    .repeat(20)
                    .getBytes(StandardCharsets.UTF_8);
            ConverseResponse text = converse(client, document(DocumentFormat.TXT, "Data policy", policy));
            assertThat(text.usage().inputTokens()).isGreaterThan(promptOnly + 100);

            ConverseResponse pdf = converse(client, document(DocumentFormat.PDF, "Contract (signed)", new byte[4000]));
            assertThat(pdf.usage().inputTokens()).isGreaterThanOrEqualTo(promptOnly + 1000);
            assertThat(pdf.output().message().content().get(0).text()).isNotBlank();
        }
    }

    @Test
    void aNameWithADot_isRefusedAsBedrockRefusesIt() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            assertThatThrownBy(() -> converse(client, document(DocumentFormat.PDF, "contract.pdf", new byte[10])))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("messages[0].content[1].document: document name: 'contract.pdf'");
        }
    }

    @Test
    void sixDocumentsInAMessage_areRefused() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            DocumentBlock d = document(DocumentFormat.TXT, "note", "x".getBytes(StandardCharsets.UTF_8));
            assertThat(converse(client, d, d, d, d, d).stopReasonAsString()).isNotBlank();
            assertThatThrownBy(() -> converse(client, d, d, d, d, d, d))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("A message can carry at most 5 documents; one has 6.");
        }
    }

    /** Bedrock's rule: a document comes with the question about it. */
    @Test
    void aDocumentWithoutText_isRefused() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            DocumentBlock d = document(DocumentFormat.TXT, "note", "x".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.converse(b -> b.modelId(MODEL)
                            .messages(Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromDocument(d))
                                    .build())))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("messages[0]: a message with a document must also have a text block");
        }
    }

    @Test
    void aDocumentInAnAssistantMessage_isRefused() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            DocumentBlock d = document(DocumentFormat.TXT, "note", "x".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.converse(b -> b.modelId(MODEL)
                            .messages(
                                    ToolUseIT.user("Read this."),
                                    Message.builder()
                                            .role(ConversationRole.ASSISTANT)
                                            .content(ContentBlock.fromDocument(d))
                                            .build(),
                                    ToolUseIT.user("Thanks."))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("messages[1]: images and documents can only be sent in user messages");
        }
    }

    /** The official OpenAI client's file part (a data URL) is the same document. */
    @Test
    void openAiFilePart_isADocument_andFileIdIsRefused() {
        var client = TestGateways.openAi(gateway.server(), AuthSettings.DEMO_API_KEY);
        String pdf = "data:application/pdf;base64," + Base64.getEncoder().encodeToString(new byte[4000]);
        var answer = client.chat()
                .completions()
                .create(withFile(ChatCompletionContentPart.File.FileObject.builder()
                        .fileData(pdf)
                        .filename("Q3 report.final.pdf")
                        .build()));
        assertThat(answer.usage().orElseThrow().promptTokens()).isGreaterThanOrEqualTo(1000);
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(withFile(ChatCompletionContentPart.File.FileObject.builder()
                                .fileId("file-abc123")
                                .build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("file_id is not supported");
    }

    static ChatCompletionCreateParams withFile(ChatCompletionContentPart.File.FileObject file) {
        return ChatCompletionCreateParams.builder()
                .model(MODEL)
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("Summarise")
                                .build()),
                        ChatCompletionContentPart.ofFile(ChatCompletionContentPart.File.builder()
                                .file(file)
                                .build())))
                .build();
    }

    /** Nova's native body on InvokeModel has Converse's shape, documents included. */
    @Test
    void novaNativeDocument_isAnswered_andCountsAsInput() throws Exception {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            String pdf = Base64.getEncoder().encodeToString(new byte[4000]);
            var r = client.invokeModel(b -> b.modelId(MODEL)
                    .contentType("application/json")
                    .body(SdkBytes.fromUtf8String("{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\":"
                            + " \"Summarise\"}, {\"document\": {\"format\": \"pdf\", \"name\": \"Contract\","
                            + " \"source\": {\"bytes\": \"" + pdf + "\"}}}]}]}")));
            assertThat(dev.meridian.server.http.Json.MAPPER
                            .readTree(r.body().asUtf8String())
                            .path("usage")
                            .path("inputTokens")
                            .asInt())
                    .isGreaterThanOrEqualTo(1000);
        }
    }

    /** Claude's native body on InvokeModel: base64 (a PDF) and text document sources, titled. */
    @Test
    void anthropicNativeDocuments_areAnswered_andCountAsInput() throws Exception {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            String pdf = Base64.getEncoder().encodeToString(new byte[4000]);
            String body =
                    "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 50, \"messages\": [{\"role\":"
                            + " \"user\", \"content\": [{\"type\": \"document\", \"title\": \"Contract v2.1\", \"source\":"
                            + " {\"type\": \"base64\", \"media_type\": \"application/pdf\", \"data\": \"" + pdf
                            + "\"}},"
                            + " {\"type\": \"document\", \"source\": {\"type\": \"text\", \"media_type\": \"text/plain\","
                            + " \"data\": \"Personal data stays in the EU.\"}, \"cache_control\": {\"type\": \"ephemeral\"}},"
                            + " {\"type\": \"text\", \"text\": \"Compare them.\"}]}]}";
            var r = client.invokeModel(b -> b.modelId("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
                    .contentType("application/json")
                    .body(SdkBytes.fromUtf8String(body)));
            assertThat(dev.meridian.server.http.Json.MAPPER
                            .readTree(r.body().asUtf8String())
                            .path("usage")
                            .path("input_tokens")
                            .asInt())
                    .isGreaterThanOrEqualTo(1000 + 5); // the PDF, and the text document's words

            String cited = body.replace("\"title\": \"Contract v2.1\",", "\"citations\": {\"enabled\": true},");
            assertThatThrownBy(() -> client.invokeModel(b -> b.modelId("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
                            .contentType("application/json")
                            .body(SdkBytes.fromUtf8String(cited))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("citations and context are not supported");
        }
    }

    @Test
    void citationsAndS3Sources_areRefusedNamingThem() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            DocumentBlock cited = document(DocumentFormat.TXT, "note", "x".getBytes(StandardCharsets.UTF_8)).toBuilder()
                    .citations(c -> c.enabled(true))
                    .build();
            assertThatThrownBy(() -> converse(client, cited))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("document.citations is not supported by this gateway yet");
            DocumentBlock fromS3 = DocumentBlock.builder()
                    .format(DocumentFormat.PDF)
                    .name("report")
                    .source(s -> s.s3Location(l -> l.uri("s3://bucket/report.pdf")))
                    .build();
            assertThatThrownBy(() -> converse(client, fromS3))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("only bytes are supported");
        }
    }
}
