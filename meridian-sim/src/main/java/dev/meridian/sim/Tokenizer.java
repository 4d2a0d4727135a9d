package dev.meridian.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way word-piece tokenizers roughly do: every word and every punctuation mark is one token.
 * Good enough for capacity and usage accounting in the simulator; real providers report their own counts.
 */
public final class Tokenizer {
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]");

    private Tokenizer() {}

    private static final Pattern PIECE = Pattern.compile("\\s*(?:[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s])|\\s+$");

    /** Splits {@code text} into tokens, each with its leading whitespace, so that joining them gives the text. */
    public static java.util.List<String> pieces(CharSequence text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    public static int count(CharSequence text) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
