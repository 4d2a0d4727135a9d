package dev.meridian.core.route;

import dev.meridian.core.catalog.FoundationModel;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.Message;
import java.util.Objects;

/**
 * What routing and admission know of one request besides its allowed set: the model, the prompt prefix it shares
 * with earlier requests, and its size in tokens.
 *
 * <p>Size is counted the way Bedrock counts quota at admission: input tokens plus the most output tokens the
 * request may generate, reconciled with the real usage when the answer is done. A large request therefore claims
 * its share of a destination's token budget up front instead of overloading it halfway through.
 *
 * @param modelId the foundation model invoked
 * @param prefixKey a hash of the prompt prefix (system prompt and first message), so follow-up requests of one
 *     conversation can go where that prefix is cached; 0 for none
 * @param inputTokens estimated input tokens (0 when unknown)
 * @param maxOutputTokens the most output tokens the request may generate (0 when unknown)
 */
public record RouteRequest(String modelId, long prefixKey, int inputTokens, int maxOutputTokens) {

    public RouteRequest {
        Objects.requireNonNull(modelId, "modelId");
        if (inputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("tokens: " + inputTokens + "/" + maxOutputTokens + " (expected: >= 0)");
        }
    }

    /** A request known only by its model: no prefix, no size. */
    public static RouteRequest of(String modelId) {
        return new RouteRequest(modelId, 0, 0, 0);
    }

    /** Output tokens reserved when a request sets no limit, as Bedrock reserves the model's maximum. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    /**
     * Describes a conversation request: its prefix is the system prompt and the first message (what a model
     * server's prompt cache keys on, and what every turn of one conversation shares); input tokens are estimated
     * at four characters per token, and the output limit is the request's {@code maxTokens}, or when it sets none
     * {@link #DEFAULT_MAX_OUTPUT_TOKENS} capped at the model's own limit.
     */
    public static RouteRequest forChat(FoundationModel model, ChatRequest request) {
        long prefix = 17;
        long chars = 0;
        for (String s : request.system()) {
            prefix = 31 * prefix + s.hashCode();
            chars += s.length();
        }
        boolean first = true;
        for (Message m : request.messages()) {
            String text = m.text();
            if (first) {
                prefix = 31 * prefix + text.hashCode();
                first = false;
            }
            chars += text.length() + 4L * binaryDocumentTokens(m);
        }
        Integer limit = request.params().maxTokens();
        int unset = model.maxOutputTokens() == 0
                ? DEFAULT_MAX_OUTPUT_TOKENS
                : Math.min(DEFAULT_MAX_OUTPUT_TOKENS, model.maxOutputTokens());
        return new RouteRequest(
                model.id(),
                prefix == 0 ? 1 : prefix,
                (int) Math.min(Integer.MAX_VALUE, chars / 4),
                limit != null ? Math.max(0, limit) : unset);
    }

    /** A token per four bytes of the message's documents that are not text (their text is in the message's). */
    private static long binaryDocumentTokens(Message m) {
        long tokens = 0;
        for (ContentBlock b : m.content()) {
            if (b instanceof ContentBlock.Document d && !Documents.isText(d)) {
                tokens += (Documents.size(d) + 3) / 4;
            }
        }
        return tokens;
    }

    /**
     * The same request generated {@code times} times over (OpenAI's {@code n}): each generation reads the prompt and
     * may write up to the limit, so both are claimed that many times.
     */
    public RouteRequest times(int times) {
        if (times == 1) {
            return this;
        }
        return new RouteRequest(modelId, prefixKey, (int) Math.min(Integer.MAX_VALUE, (long) inputTokens * times), (int)
                Math.min(Integer.MAX_VALUE, (long) maxOutputTokens * times));
    }

    /** Tokens claimed at admission: input plus the output limit. */
    public int reservedTokens() {
        return (int) Math.min(Integer.MAX_VALUE, (long) inputTokens + maxOutputTokens);
    }
}
