package dev.meridian.core.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sampling parameters; {@code null} means "the model's default". Those past {@code topK} exist on OpenAI's API only,
 * so each provider says what it does with them: passes them on, or refuses a request it would answer differently.
 *
 * @param maxTokens the most output tokens to generate
 * @param temperature 0..1 from Bedrock's surfaces, 0..2 from OpenAI's (a provider that takes less passes it by)
 * @param topP 0..1
 * @param stopSequences sequences that end generation; an empty one, which stops nothing (and which Converse
 *     refuses), is left out
 * @param topK sample only from the K most likely tokens
 * @param frequencyPenalty -2..2: lowers a token's likelihood by how often it already appeared (OpenAI's)
 * @param presencePenalty -2..2: lowers a token's likelihood once it has appeared at all (OpenAI's)
 * @param seed asks for repeatable sampling, best effort (OpenAI's); never a reason to refuse a destination
 * @param logprobs asks for each output token's log probability and this many (0..20) most likely alternatives
 *     (OpenAI's {@code top_logprobs}); {@code null}: not asked for. A destination that cannot report them passes
 *     the request by
 * @param logitBias token id to a bias (-100..100) added to its logit before sampling (OpenAI's {@code
 *     logit_bias}; -100 bans the token, 100 all but forces it); the ids are the model's tokenizer's, so only a
 *     destination serving that model can apply them, and one that cannot passes the request by. Empty: none
 * @param reasoning asks the model to think before answering; {@code null}: not asked for (the model's default)
 */
public record InferenceParams(
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stopSequences,
        Integer topK,
        Double frequencyPenalty,
        Double presencePenalty,
        Long seed,
        Integer logprobs,
        Map<Integer, Double> logitBias,
        Reasoning reasoning) {

    public static final InferenceParams DEFAULTS = new InferenceParams(null, null, null, List.of(), null);

    public InferenceParams {
        stopSequences = stopSequences.contains("")
                ? stopSequences.stream().filter(s -> !s.isEmpty()).toList()
                : List.copyOf(stopSequences);
        logitBias = logitBias == null || logitBias.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(logitBias));
    }

    public InferenceParams(
            Integer maxTokens,
            Double temperature,
            Double topP,
            List<String> stopSequences,
            Integer topK,
            Double frequencyPenalty,
            Double presencePenalty,
            Long seed,
            Integer logprobs,
            Map<Integer, Double> logitBias) {
        this(
                maxTokens,
                temperature,
                topP,
                stopSequences,
                topK,
                frequencyPenalty,
                presencePenalty,
                seed,
                logprobs,
                logitBias,
                null);
    }

    public InferenceParams(
            Integer maxTokens, Double temperature, Double topP, List<String> stopSequences, Integer topK) {
        this(maxTokens, temperature, topP, stopSequences, topK, null, null, null, null, Map.of());
    }

    public InferenceParams(Integer maxTokens, Double temperature, Double topP, List<String> stopSequences) {
        this(maxTokens, temperature, topP, stopSequences, null);
    }

    /** These parameters with {@code seed} instead. */
    public InferenceParams withSeed(Long newSeed) {
        return new InferenceParams(
                maxTokens,
                temperature,
                topP,
                stopSequences,
                topK,
                frequencyPenalty,
                presencePenalty,
                newSeed,
                logprobs,
                logitBias,
                reasoning);
    }

    /** These parameters asking for {@code newReasoning} instead ({@code null}: not asking). */
    public InferenceParams withReasoning(Reasoning newReasoning) {
        return new InferenceParams(
                maxTokens,
                temperature,
                topP,
                stopSequences,
                topK,
                frequencyPenalty,
                presencePenalty,
                seed,
                logprobs,
                logitBias,
                newReasoning);
    }

    /** Whether a penalty other than zero was asked for: output a destination without penalties would not match. */
    public boolean penalized() {
        return (frequencyPenalty != null && frequencyPenalty != 0) || (presencePenalty != null && presencePenalty != 0);
    }
}
