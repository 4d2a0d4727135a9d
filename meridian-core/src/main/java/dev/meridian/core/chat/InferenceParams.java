package dev.meridian.core.chat;

import java.util.List;

/**
 * Sampling parameters; {@code null} means "the model's default".
 *
 * @param maxTokens the most output tokens to generate
 * @param temperature 0..1
 * @param topP 0..1
 * @param stopSequences sequences that end generation
 */
public record InferenceParams(Integer maxTokens, Double temperature, Double topP, List<String> stopSequences) {

    public static final InferenceParams DEFAULTS = new InferenceParams(null, null, null, List.of());

    public InferenceParams {
        stopSequences = List.copyOf(stopSequences);
    }
}
