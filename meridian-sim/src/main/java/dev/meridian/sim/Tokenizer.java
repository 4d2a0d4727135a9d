package dev.meridian.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts tokens the way word-piece tokenizers roughly do: every word (letters, digits, underscore) and every
 * other non-space character is one token. Good enough for capacity and usage accounting in the simulator; real
 * providers report their own counts. A hand-written scanner, not a regular expression: it runs for every
 * simulated request and stream, on the event loops of load benchmarks.
 */
public final class Tokenizer {
    private Tokenizer() {}

    /** Splits {@code text} into tokens, each with its leading whitespace, so that joining them gives the text. */
    public static List<String> pieces(CharSequence text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                out.add(text.subSequence(start, n).toString());
                break;
            }
            i = endOfToken(text, i);
            out.add(text.subSequence(start, i).toString());
        }
        return out;
    }

    public static int count(CharSequence text) {
        int n = text.length();
        int count = 0;
        int i = 0;
        while (i < n) {
            if (isSpace(text.charAt(i))) {
                i++;
                continue;
            }
            i = endOfToken(text, i);
            count++;
        }
        return count;
    }

    /** The end of the token starting at {@code i} (not a space): a run of word characters, or one other character. */
    private static int endOfToken(CharSequence text, int i) {
        int cp = Character.codePointAt(text, i);
        if (!isWord(cp)) {
            return i + Character.charCount(cp);
        }
        int n = text.length();
        while (i < n) {
            cp = Character.codePointAt(text, i);
            if (!isWord(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** {@code \s} of {@link java.util.regex.Pattern}: ASCII whitespace only. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** {@code [\p{L}\p{N}_]}. */
    private static boolean isWord(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }
}
