package dev.meridian.core.chat;

/**
 * How the model may use the tools offered.
 *
 * @param mode auto (the model decides), any (must call some tool), tool (must call {@code name}), or none (must answer
 *     in text: the tools stay in the prompt, as a conversation that used them needs their definitions, but none is
 *     called)
 * @param name the tool to call in mode {@link Mode#TOOL}; {@code null} otherwise
 * @param singleCall at most one tool call per answer (OpenAI's {@code parallel_tool_calls: false}, Anthropic's
 *     {@code disable_parallel_tool_use}), for a caller that runs tools one at a time
 */
public record ToolChoice(Mode mode, String name, boolean singleCall) {

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

    /** A choice allowing parallel tool calls (the APIs' default). */
    public ToolChoice(Mode mode, String name) {
        this(mode, name, false);
    }

    /** This choice, with at most one tool call per answer when {@code single}. */
    public ToolChoice withSingleCall(boolean single) {
        return single == singleCall ? this : new ToolChoice(mode, name, single);
    }
}
