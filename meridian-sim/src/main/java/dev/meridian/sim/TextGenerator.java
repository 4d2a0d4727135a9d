package dev.meridian.sim;

import dev.meridian.core.chat.StopReason;
import java.util.List;

/**
 * Deterministic stand-in for a model: the same model, region-independent prompt and limits always give the same
 * text, so tests can assert on output and the simulation lab is reproducible.
 *
 * <p>The answer length is drawn from the prompt's hash (16 to 135 tokens), cut at {@code maxTokens} (stop
 * reason {@code MAX_TOKENS}) or at the first stop sequence (stop reason {@code STOP_SEQUENCE}).
 */
final class TextGenerator {
    private static final String[] WORDS = {
        "the",
        "gateway",
        "routes",
        "each",
        "request",
        "to",
        "a",
        "region",
        "with",
        "capacity",
        "and",
        "records",
        "where",
        "it",
        "was",
        "processed",
        "latency",
        "stays",
        "low",
        "while",
        "data",
        "remains",
        "inside",
        "its",
        "allowed",
        "geography",
        "models",
        "answer",
        "quickly",
        "under",
        "load",
        "profiles",
        "keep",
        "residency",
        "rules",
        "simple",
        "tokens",
        "flow",
        "back",
        "in",
        "order",
        "every",
        "audit",
        "event",
        "is",
        "kept"
    };

    private TextGenerator() {}

    record Generated(String text, int outputTokens, StopReason stopReason) {}

    static Generated generate(String modelId, String prompt, Integer maxTokens, List<String> stopSequences) {
        long seed = mix(modelId.hashCode() * 31L + prompt.hashCode());
        int wanted = 16 + (int) Long.remainderUnsigned(seed, 120);
        int limit = maxTokens == null ? Integer.MAX_VALUE : maxTokens;
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        StopReason reason = StopReason.END_TURN;
        long state = seed;
        while (tokens < wanted) {
            if (tokens >= limit) {
                reason = StopReason.MAX_TOKENS;
                break;
            }
            state = mix(state + 0x9E3779B97F4A7C15L);
            boolean sentenceEnd = tokens > 0 && tokens % 12 == 11;
            if (sentenceEnd) {
                text.append('.');
            } else {
                String word = WORDS[(int) Long.remainderUnsigned(state, WORDS.length)];
                text.append(
                        text.isEmpty() ? capitalize(word) : (endsSentence(text) ? " " + capitalize(word) : " " + word));
            }
            tokens++;
        }
        if (reason == StopReason.END_TURN && tokens < limit) {
            text.append('.');
            tokens++;
        }
        String out = text.toString();
        for (String stop : stopSequences) {
            int at = out.indexOf(stop);
            if (at >= 0) {
                out = out.substring(0, at);
                return new Generated(out, Tokenizer.count(out), StopReason.STOP_SEQUENCE);
            }
        }
        return new Generated(out, tokens, reason);
    }

    private static boolean endsSentence(StringBuilder text) {
        return text.charAt(text.length() - 1) == '.';
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** SplitMix64 finaliser: a cheap, well-distributed 64-bit hash step. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
