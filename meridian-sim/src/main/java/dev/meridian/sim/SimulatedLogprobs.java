package dev.meridian.sim;

import dev.meridian.core.chat.TokenLogprob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Log probabilities for the simulator's tokens: deterministic (each drawn from its token and position, so a whole
 * answer and its stream report the same numbers) and shaped like a real model's. The chosen token is the most
 * likely one, as under greedy decoding, and the alternatives' probabilities, each below the one before, sum to
 * less than what the chosen token leaves, so the reported distribution never exceeds 1.
 */
final class SimulatedLogprobs {
    /** Each alternative takes this share of what the ones before it left. */
    private static final double ALTERNATIVE_SHARE = 0.4;

    private SimulatedLogprobs() {}

    /** The log probabilities of {@code pieces[from..to)}, each with {@code top} alternatives. */
    static List<TokenLogprob> of(List<String> pieces, int from, int to, int top) {
        List<TokenLogprob> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(of(pieces.get(i), i, top));
        }
        return out;
    }

    private static TokenLogprob of(String piece, int position, int top) {
        long state = TextGenerator.mix(piece.hashCode() * 0x9E3779B97F4A7C15L + position);
        // The chosen token's probability: 0.3 to 0.999.
        double p = 0.3 + 0.699 * ((state >>> 11) * 0x1.0p-53);
        double logprob = Math.log(p);
        List<TokenLogprob.Alternative> alternatives = new ArrayList<>(top);
        if (top > 0) {
            alternatives.add(new TokenLogprob.Alternative(piece, logprob));
        }
        String lead = piece.isEmpty() || !Character.isWhitespace(piece.charAt(0)) ? "" : " ";
        Set<String> taken = new HashSet<>(List.of(piece));
        double left = 1 - p;
        for (int k = 1; k < top; k++) {
            String token;
            do {
                state = TextGenerator.mix(state + k);
                token = lead + TextGenerator.word(state);
            } while (!taken.add(token));
            double share = left * ALTERNATIVE_SHARE;
            left -= share;
            alternatives.add(new TokenLogprob.Alternative(token, Math.log(share)));
        }
        return new TokenLogprob(piece, logprob, alternatives);
    }
}
