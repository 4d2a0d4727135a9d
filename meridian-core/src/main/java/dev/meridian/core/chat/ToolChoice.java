package dev.meridian.core.chat;

/**
 * How the model may use the tools offered.
 *
 * @param mode auto (the model decides), any (must call some tool), tool (must call {@code name}), or none (must answer
 *     in text: the tools stay in the prompt, as a conversation that used them needs their definitions, but none is
 *     called)
 * @param name the tool to call in mode {@link Mode#TOOL}; {@code null} otherwise
 */
public record ToolChoice(Mode mode, String name) {

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

    public enum Mode {
        AUTO,
        ANY,
        TOOL,
        NONE
    }

    public ToolChoice {
        if ((mode == Mode.TOOL) != (name != null)) {
            throw new IllegalArgumentException("toolChoice: a tool name is required exactly in mode TOOL");
        }
    }
}
