package dev.meridian.core.chat;

import java.util.Objects;

/**
 * A tool the model may call.
 *
 * @param name the tool's name
 * @param description what it does, for the model
 * @param inputSchemaJson the JSON Schema of its input, as JSON text
 */
public record ToolSpec(String name, String description, String inputSchemaJson) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(inputSchemaJson, "inputSchemaJson");
    }
}
