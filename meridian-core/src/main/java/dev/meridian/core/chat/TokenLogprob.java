package dev.meridian.core.chat;

import java.util.List;
import java.util.Objects;

/**
 * One output token with its log probability and the most likely tokens the model could have chosen in its place:
 * what a caller asks for with OpenAI's {@code logprobs} to score a classification or a confidence. Only
 * OpenAI-compatible servers (and the simulator) produce these; Bedrock's APIs have no such output.
 *
 * @param token the token as text
 * @param logprob its natural-log probability, at most 0
 * @param top the alternatives, most likely first (empty unless asked for); the chosen token is usually among them
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {

    public TokenLogprob {
        Objects.requireNonNull(token, "token");
        top = List.copyOf(top);
    }

    /** A token the model could have chosen at this position, and its log probability. */
    public record Alternative(String token, double logprob) {

        public Alternative {
            Objects.requireNonNull(token, "token");
        }
    }
}
