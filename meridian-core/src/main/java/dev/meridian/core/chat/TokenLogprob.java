package dev.meridian.core.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One output token with its log probability and the most likely tokens the model could have chosen in its place:
 * what a caller asks for with OpenAI's {@code logprobs} to score a classification or a confidence. Only
 * OpenAI-compatible servers (and the simulator) produce these; Bedrock's APIs have no such output.
 *
 * @param token the token as text
 * @param logprob its natural-log probability, at most 0
 * @param bytes the token's bytes (0..255): its text's UTF-8, unless the server reported others, as it does for a
 *     byte-level token that is only part of a character (whose text cannot show it)
 * @param top the alternatives, most likely first (empty unless asked for); the chosen token is usually among them
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<Alternative> top) {

    public TokenLogprob {
        Objects.requireNonNull(token, "token");
        bytes = List.copyOf(bytes);
        top = List.copyOf(top);
    }

    /** A token whose bytes are its text's UTF-8. */
    public TokenLogprob(String token, double logprob, List<Alternative> top) {
        this(token, logprob, utf8(token), top);
    }

    /** A token the model could have chosen at this position, its log probability and its bytes. */
    public record Alternative(String token, double logprob, List<Integer> bytes) {

        public Alternative {
            Objects.requireNonNull(token, "token");
            bytes = List.copyOf(bytes);
        }

        /** An alternative whose bytes are its text's UTF-8. */
        public Alternative(String token, double logprob) {
            this(token, logprob, utf8(token));
        }
    }

    /** {@code text}'s UTF-8 bytes, each 0..255. */
    public static List<Integer> utf8(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>(raw.length);
        for (byte b : raw) {
            out.add(b & 0xFF);
        }
        return out;
    }
}
