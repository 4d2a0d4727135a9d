package dev.meridian.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written tokenizer agrees with the regular expressions that define it, on arbitrary text. */
class TokenizerProperties {
    static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]");
    static final Pattern PIECE = Pattern.compile("\\s*(?:[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s])|\\s+$");

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings()
                        .withChars(" \t\n\r.,;:!?'\"-_()[]{}")
                        .withCharRange('a', 'z')
                        .withCharRange('0', '9')
                        .withChars("éßçøΩжあ漢字٣²Ⅻ😀")
                        .ofMaxLength(200));
    }

    @Property(tries = 2000)
    void piecesAndCountMatchTheDefinition(@ForAll("text") String text) {
        List<String> expected = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            expected.add(m.group());
        }
        int count = 0;
        Matcher t = TOKEN.matcher(text);
        while (t.find()) {
            count++;
        }
        assertThat(Tokenizer.pieces(text)).isEqualTo(expected);
        assertThat(Tokenizer.count(text)).isEqualTo(count);
    }
}
