package dev.meridian.core.chat;

import java.util.Objects;

/** One piece of a message. Surfaces refuse block types the canonical model cannot carry rather than drop them. */
public sealed interface ContentBlock {

    /** Plain text. */
    record Text(String text) implements ContentBlock {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }
}
