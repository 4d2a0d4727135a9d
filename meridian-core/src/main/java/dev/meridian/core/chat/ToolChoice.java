package dev.meridian.core.chat;

/**
 * How the model may use the tools offered.
 *
 * @param mode auto (the model decides), any (must call some tool), or tool (must call {@code name})
 * @param name the tool to call in mode {@link Mode#TOOL}; {@code null} otherwise
 */
public record ToolChoice(Mode mode, String name) {

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

    public enum Mode {
        AUTO,
        ANY,
        TOOL
    }

    public ToolChoice {
        if ((mode == Mode.TOOL) != (name != null)) {
            throw new IllegalArgumentException("toolChoice: a tool name is required exactly in mode TOOL");
        }
    }
}
