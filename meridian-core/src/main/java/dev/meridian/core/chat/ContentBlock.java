package dev.meridian.core.chat;

import java.util.List;
import java.util.Objects;

/** One piece of a message. Surfaces refuse block types the canonical model cannot carry rather than drop them. */
public sealed interface ContentBlock {

    /** Plain text. */
    record Text(String text) implements ContentBlock {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image the caller sent, carried as base64 so records compare by value and the core needs no codec.
     *
     * @param format {@code png}, {@code jpeg}, {@code gif} or {@code webp}
     * @param base64 the image bytes, base64-encoded (standard alphabet, padded)
     */
    record Image(String format, String base64) implements ContentBlock {
        public Image {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(base64, "base64");
        }
    }

    /**
     * A document the caller attached (a PDF, a spreadsheet, a text file), carried as base64 like an image; built
     * through {@link Documents#of}, which checks it.
     *
     * @param format one of {@link Documents#FORMATS}, e.g. {@code pdf} or {@code txt}
     * @param name the caller's name for it, which the model may cite
     * @param base64 the document bytes, base64-encoded (standard alphabet, padded)
     */
    record Document(String format, String name, String base64) implements ContentBlock {
        public Document {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(base64, "base64");
        }
    }

    /** A JSON document (inside tool results), kept as JSON text so the core needs no JSON library. */
    record Json(String json) implements ContentBlock {
        public Json {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * The model asks to call a tool.
     *
     * @param id the tool-use id that the matching {@link ToolResult} names
     * @param name the tool's name
     * @param inputJson the arguments, a JSON object as text
     */
    record ToolUse(String id, String name, String inputJson) implements ContentBlock {
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(inputJson, "inputJson");
        }
    }

    /**
     * The caller's answer to a {@link ToolUse}.
     *
     * @param toolUseId the id of the tool use answered
     * @param content text and JSON parts
     * @param error whether the tool failed
     */
    record ToolResult(String toolUseId, List<ContentBlock> content, boolean error) implements ContentBlock {
        public ToolResult {
            Objects.requireNonNull(toolUseId, "toolUseId");
            content = List.copyOf(content);
        }
    }

    /**
     * The model's thinking before its answer, first in an assistant message. A caller sends it back unchanged in
     * the conversation's history, signature and all: Anthropic's models check that it is theirs.
     *
     * @param text what the model thought, or {@code null} when redacted
     * @param signature the destination's proof that it made this thinking, or {@code null} if it gave none
     * @param redactedBase64 thinking the destination encrypted instead of showing (base64), or {@code null}
     */
    record Reasoning(String text, String signature, String redactedBase64) implements ContentBlock {
        public Reasoning {
            if ((text == null) == (redactedBase64 == null)) {
                throw new IllegalArgumentException("reasoning is its text or redacted, one of them");
            }
        }

        public static Reasoning text(String text, String signature) {
            return new Reasoning(text, signature, null);
        }

        public static Reasoning redacted(String base64) {
            return new Reasoning(null, null, base64);
        }
    }
}
