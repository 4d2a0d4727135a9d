package dev.meridian.core.chat;

/** Token counts of one invocation. */
public record Usage(int inputTokens, int outputTokens) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "usage: " + inputTokens + "/" + outputTokens + " (expected: non-negative token counts)");
        }
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
