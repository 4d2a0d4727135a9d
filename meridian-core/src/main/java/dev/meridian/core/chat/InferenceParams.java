package dev.meridian.core.chat;

import java.util.List;

/**
 * Sampling parameters; {@code null} means "the model's default".
 *
 * @param maxTokens the most output tokens to generate
 * @param temperature 0..1
 * @param topP 0..1
 * @param stopSequences sequences that end generation
 * @param topK sample only from the K most likely tokens
 */
public record InferenceParams(
        Integer maxTokens, Double temperature, Double topP, List<String> stopSequences, Integer topK) {

    public static final InferenceParams DEFAULTS = new InferenceParams(null, null, null, List.of(), null);

    public InferenceParams {
        stopSequences = List.copyOf(stopSequences);
    }

    public InferenceParams(Integer maxTokens, Double temperature, Double topP, List<String> stopSequences) {
        this(maxTokens, temperature, topP, stopSequences, null);
    }
}
