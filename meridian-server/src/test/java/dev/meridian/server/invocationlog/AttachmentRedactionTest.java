package dev.meridian.server.invocationlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With image data off, no image's or document's bytes reach the invocation log, in any surface's shape. */
class AttachmentRedactionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Converse image    | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}, {\"image\": {\"format\": \"png\", \"source\": {\"bytes\": \"SECRETBYTES\"}}}]}]}",
                "Converse document | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}, {\"document\": {\"format\": \"pdf\", \"name\": \"c\", \"source\": {\"bytes\": \"SECRETBYTES\"}}}]}]}",
                "Anthropic image   | {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}, {\"type\": \"image\", \"source\": {\"type\": \"base64\", \"media_type\": \"image/png\", \"data\": \"SECRETBYTES\"}}]}]}",
                "Anthropic text doc | {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}, {\"type\": \"document\", \"source\": {\"type\": \"text\", \"media_type\": \"text/plain\", \"data\": \"SECRETBYTES\"}}]}]}",
                "OpenAI image_url  | {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}, {\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,SECRETBYTES\"}}]}]}",
                "OpenAI file       | {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}, {\"type\": \"file\", \"file\": {\"filename\": \"c.pdf\", \"file_data\": \"data:application/pdf;base64,SECRETBYTES\"}}]}]}",
            })
    void attachmentBytes_areOmitted_theTextKept(String shape, String body) throws Exception {
        JsonNode redacted = InvocationLogger.redactImages(Json.MAPPER.readTree(body), false);
        assertThat(redacted.toString())
                .doesNotContain("SECRETBYTES")
                .contains(InvocationLogger.OMITTED)
                .contains("\"hi\"");
        assertThat(InvocationLogger.redactImages(Json.MAPPER.readTree(body), true)
                        .toString())
                .contains("SECRETBYTES");
    }

    @Test
    void aBodyWithoutAttachments_isUnchanged() throws Exception {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"the url is data:x\"}]}]}";
        assertThat(InvocationLogger.redactImages(Json.MAPPER.readTree(body), false))
                .isEqualTo(Json.MAPPER.readTree(body));
    }
}
