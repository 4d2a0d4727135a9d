package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Documents on the way to an OpenAI-compatible upstream: text inline, anything else as a {@code file} part. */
class OpenAiWireDocumentsTest {
    static JsonNode userMessage(ContentBlock... blocks) throws Exception {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(new Message(Role.USER, List.of(blocks))),
                new InferenceParams(10, null, null, List.of()),
                Map.of());
        return OpenAiWire.MAPPER
                .readTree(OpenAiWire.request(request, "m", false))
                .path("messages")
                .get(0);
    }

    @Test
    void aTextDocument_travelsInline_namedAndDelimited() throws Exception {
        ContentBlock.Document notes = Documents.of(
                "md",
                "Meeting notes",
                Base64.getEncoder().encodeToString("# Zurich stays in Zurich".getBytes(StandardCharsets.UTF_8)));
        JsonNode message = userMessage(new ContentBlock.Text("Summarise: "), notes);
        assertThat(message.path("content").asText())
                .isEqualTo("Summarise: <document name=\"Meeting notes\" format=\"md\">\n# Zurich stays in Zurich\n"
                        + "</document>\n");
    }

    @Test
    void aPdf_travelsAsAFilePart_withItsMediaType() throws Exception {
        String bytes = Base64.getEncoder().encodeToString(new byte[] {'%', 'P', 'D', 'F'});
        JsonNode message = userMessage(new ContentBlock.Text("Summarise"), Documents.of("pdf", "Contract", bytes));
        JsonNode parts = message.path("content");
        assertThat(parts.get(0).path("text").asText()).isEqualTo("Summarise");
        assertThat(parts.get(1).path("type").asText()).isEqualTo("file");
        assertThat(parts.get(1).path("file").path("filename").asText()).isEqualTo("Contract.pdf");
        assertThat(parts.get(1).path("file").path("file_data").asText())
                .isEqualTo("data:application/pdf;base64," + bytes);
    }
}
