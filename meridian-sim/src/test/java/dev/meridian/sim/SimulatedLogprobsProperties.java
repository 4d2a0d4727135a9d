package dev.meridian.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.chat.TokenLogprob;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The simulator's log probabilities are a distribution a real model could report, and the same on every call. */
class SimulatedLogprobsProperties {

    @Property(tries = 500)
    void eachTokenIsTheLikeliestOfADistributionThatSumsToAtMostOne(
            @ForAll String text, @ForAll @IntRange(min = 0, max = 20) int top) {
        List<String> pieces = Tokenizer.pieces(text);
        List<TokenLogprob> tokens = SimulatedLogprobs.of(pieces, 0, pieces.size(), top);

        assertThat(tokens).extracting(TokenLogprob::token).containsExactlyElementsOf(pieces);
        assertThat(tokens).allSatisfy(t -> {
            assertThat(t.logprob()).isLessThan(0);
            assertThat(t.top()).hasSize(top);
            if (top > 0) {
                assertThat(t.top().get(0)).isEqualTo(new TokenLogprob.Alternative(t.token(), t.logprob()));
            }
            assertThat(t.top()).extracting(TokenLogprob.Alternative::token).doesNotHaveDuplicates();
            assertThat(t.top())
                    .extracting(TokenLogprob.Alternative::logprob)
                    .isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(t.top().stream().mapToDouble(a -> Math.exp(a.logprob())).sum())
                    .isLessThanOrEqualTo(1.0);
        });
    }

    /** A stream reports its pieces in ranges; the numbers must be those of the whole answer. */
    @Property(tries = 200)
    void aRangeReportsWhatTheWholeReportsForIt(
            @ForAll String text, @ForAll @IntRange(min = 0, max = 5) int top, @ForAll @IntRange(max = 400) int cut) {
        List<String> pieces = Tokenizer.pieces(text);
        int at = Math.min(cut, pieces.size());
        List<TokenLogprob> whole = SimulatedLogprobs.of(pieces, 0, pieces.size(), top);
        assertThat(SimulatedLogprobs.of(pieces, 0, at, top)).isEqualTo(whole.subList(0, at));
        assertThat(SimulatedLogprobs.of(pieces, at, pieces.size(), top)).isEqualTo(whole.subList(at, whole.size()));
    }
}
