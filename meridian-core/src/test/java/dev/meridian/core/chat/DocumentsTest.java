package dev.meridian.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentsTest {
    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTextDocument_isReadAsText_andCountsInItsMessage() {
        ContentBlock.Document d = Documents.of("TXT", "Residency rules (v2)", base64("EU stays in the EU."));
        assertThat(d.format()).isEqualTo("txt");
        assertThat(Documents.text(d)).isEqualTo("EU stays in the EU.");
        assertThat(Documents.size(d)).isEqualTo(19);
        assertThat(new Message(Role.USER, List.of(new ContentBlock.Text("Summarise: "), d)).text())
                .isEqualTo("Summarise: EU stays in the EU.");
    }

    @Test
    void aPdf_hasNoText_butASize() {
        ContentBlock.Document d =
                Documents.of("pdf", "report", Base64.getEncoder().encodeToString(new byte[1001]));
        assertThat(Documents.text(d)).isNull();
        assertThat(Documents.size(d)).isEqualTo(1001);
        assertThat(Documents.mediaType("pdf")).isEqualTo("application/pdf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.pdf", "two  spaces", "", "semi;colon", "quote\"d"})
    void aNameBedrockRefuses_isRefused(String name) {
        assertThatThrownBy(() -> Documents.of("txt", name, base64("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("document name:");
    }

    @Test
    void aNameOf200_isAllowed_201IsNot() {
        assertThat(Documents.of("txt", "a".repeat(200), base64("x")).name()).hasSize(200);
        assertThatThrownBy(() -> Documents.of("txt", "a".repeat(201), base64("x")))
                .hasMessageStartingWith("document name:");
    }

    @Test
    void aFileName_becomesANameBedrockAccepts() {
        assertThat(Documents.nameFrom("Q3 report.final.pdf")).isEqualTo("Q3 report final");
        assertThat(Documents.nameFrom("contract (signed) [v2].docx")).isEqualTo("contract (signed) [v2]");
        assertThat(Documents.nameFrom("...")).isEqualTo("document");
        assertThat(Documents.nameFrom(null)).isEqualTo("document");
        assertThat(Documents.nameFrom("x".repeat(300) + ".txt")).hasSize(200);
        assertThat(Documents.formatOf("application/pdf")).isEqualTo("pdf");
        assertThat(Documents.formatOf("image/png")).isNull();
    }

    @Test
    void sixDocumentsInOneMessage_areOneTooMany_fiveInEachOfTwoAreNot() {
        ContentBlock.Document d = Documents.of("txt", "a", base64("x"));
        Message five = new Message(Role.USER, List.of(d, d, d, d, d));
        Documents.checkCount(List.of(five, new Message(Role.ASSISTANT, List.of(new ContentBlock.Text("ok"))), five));
        assertThatThrownBy(() -> Documents.checkCount(List.of(new Message(Role.USER, List.of(d, d, d, d, d, d)))))
                .hasMessage("A message can carry at most 5 documents; one has 6.");
    }

    @Test
    void formatBytesAndSize_areChecked() {
        assertThatThrownBy(() -> Documents.of("rtf", "a", base64("x"))).hasMessageStartingWith("document format:");
        assertThatThrownBy(() -> Documents.of(null, "a", base64("x"))).hasMessageStartingWith("document format:");
        assertThatThrownBy(() -> Documents.of("txt", "a", "not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> Documents.of("txt", "a", "")).hasMessageStartingWith("document size: 0");
        String tooBig = Base64.getEncoder().encodeToString(new byte[Documents.MAX_BYTES + 1]);
        assertThatThrownBy(() -> Documents.of("pdf", "a", tooBig)).hasMessageStartingWith("document size:");
    }
}
