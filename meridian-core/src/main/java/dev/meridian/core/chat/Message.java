package dev.meridian.core.chat;

import java.util.List;
import java.util.Objects;

/** One turn of a conversation. */
public record Message(Role role, List<ContentBlock> content) {

    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new ContentBlock.Text(text)));
    }

    /**
     * The concatenated text of all text blocks (for tool results, of their text and JSON parts; for documents in a
     * text format, of their contents; for reasoning, of what it shows).
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentBlock block : content) {
            switch (block) {
                case ContentBlock.Text t -> sb.append(t.text());
                case ContentBlock.Json j -> sb.append(j.json());
                case ContentBlock.ToolResult r ->
                    r.content()
                            .forEach(c -> sb.append(
                                    c instanceof ContentBlock.Text t
                                            ? t.text()
                                            : c instanceof ContentBlock.Json j ? j.json() : ""));
                case ContentBlock.ToolUse u -> sb.append(u.inputJson());
                case ContentBlock.Reasoning r -> {
                    if (r.text() != null) {
                        sb.append(r.text());
                    }
                }
                case ContentBlock.Image i -> {
                    // images carry no text
                }
                case ContentBlock.Document d -> {
                    String text = Documents.text(d);
                    if (text != null) {
                        sb.append(text);
                    }
                }
            }
        }
        return sb.toString();
    }
}
