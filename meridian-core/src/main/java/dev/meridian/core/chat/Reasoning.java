package dev.meridian.core.chat;

import java.util.List;

/**
 * A request to think before answering (extended thinking, reasoning): Anthropic's {@code thinking} asks with a token
 * budget, Amazon Nova's {@code reasoningConfig} and OpenAI's {@code reasoning_effort} with an effort. The thinking
 * comes back as a {@link ContentBlock.Reasoning} ahead of the answer and counts as output tokens.
 *
 * @param effort {@code low}, {@code medium} or {@code high}, or {@code null} when a budget was given instead
 * @param budgetTokens the most tokens to think in (at least 1,024, below the output limit), or {@code null}
 */
public record Reasoning(String effort, Integer budgetTokens) {
    /** The efforts a caller may ask for, least first. */
    public static final List<String> EFFORTS = List.of("low", "medium", "high");

    /** The smallest budget Anthropic's models take. */
    public static final int MIN_BUDGET_TOKENS = 1024;

    public Reasoning {
        if ((effort == null) == (budgetTokens == null)) {
            throw new IllegalArgumentException("an effort or a budget, one of them");
        }
        if (effort != null && !EFFORTS.contains(effort)) {
            throw new IllegalArgumentException("effort " + effort);
        }
    }

    public static Reasoning effort(String effort) {
        return new Reasoning(effort, null);
    }

    public static Reasoning budget(int budgetTokens) {
        return new Reasoning(null, budgetTokens);
    }

    /**
     * The effort this request stands for: its own, or its budget's (up to 4,096 tokens low, up to 16,384 medium,
     * more high), for destinations that take an effort.
     */
    public String impliedEffort() {
        if (effort != null) {
            return effort;
        }
        return budgetTokens <= 4096 ? "low" : budgetTokens <= 16384 ? "medium" : "high";
    }

    /** The budget this request stands for: its own, or its effort's (4,096, 16,384, 32,768 tokens). */
    public int impliedBudget() {
        if (budgetTokens != null) {
            return budgetTokens;
        }
        return switch (effort) {
            case "low" -> 4096;
            case "medium" -> 16384;
            default -> 32768;
        };
    }
}
