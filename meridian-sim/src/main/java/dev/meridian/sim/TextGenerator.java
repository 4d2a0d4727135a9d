package dev.meridian.sim;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Deterministic stand-in for a model: the same model, region-independent prompt and limits always give the same
 * text, so tests can assert on output and the simulation lab is reproducible.
 *
 * <p>The answer length is drawn from the prompt's hash (16 to 135 tokens), cut at {@code maxTokens} (stop
 * reason {@code MAX_TOKENS}) or at the first stop sequence (stop reason {@code STOP_SEQUENCE}).
 */
final class TextGenerator {
    private static final String[] WORDS = {
        "the",
        "gateway",
        "routes",
        "each",
        "request",
        "to",
        "a",
        "region",
        "with",
        "capacity",
        "and",
        "records",
        "where",
        "it",
        "was",
        "processed",
        "latency",
        "stays",
        "low",
        "while",
        "data",
        "remains",
        "inside",
        "its",
        "allowed",
        "geography",
        "models",
        "answer",
        "quickly",
        "under",
        "load",
        "profiles",
        "keep",
        "residency",
        "rules",
        "simple",
        "tokens",
        "flow",
        "back",
        "in",
        "order",
        "every",
        "audit",
        "event",
        "is",
        "kept"
    };

    private TextGenerator() {}

    /**
     * The answer: text, and a tool call when the model decided to use a tool ({@code toolUse} non-null), after its
     * thinking when the request asked for it ({@code reasoning} non-null; {@code outputTokens} counts it too).
     */
    record Generated(
            String text,
            int outputTokens,
            StopReason stopReason,
            ContentBlock.ToolUse toolUse,
            String stopSequence,
            ContentBlock.Reasoning reasoning) {
        Generated(String text, int outputTokens, StopReason stopReason) {
            this(text, outputTokens, stopReason, null, null, null);
        }

        Generated(String text, int outputTokens, StopReason stopReason, ContentBlock.ToolUse toolUse) {
            this(text, outputTokens, stopReason, toolUse, null, null);
        }

        Generated(
                String text,
                int outputTokens,
                StopReason stopReason,
                ContentBlock.ToolUse toolUse,
                String stopSequence) {
            this(text, outputTokens, stopReason, toolUse, stopSequence, null);
        }
    }

    /** Thinking tokens at most per effort asked for, so that a simulated answer stays short. */
    private static final int LOW_EFFORT_TOKENS = 32;

    /**
     * Answers {@code request} ({@link #answered}), first thinking when it asks the model to: thinking drawn like an
     * answer, at most {@value #LOW_EFFORT_TOKENS} tokens at low effort and twice, four times that at medium, high
     * (within the budget asked), signed with a digest of the model and the thinking, as Anthropic's models sign theirs.
     * Thinking and answer share the output limit: the answer is cut to what the thinking left.
     */
    static Generated answer(String modelId, String prompt, ChatRequest request) {
        Generated answer = answered(modelId, prompt, request);
        Reasoning asked = request.params().reasoning();
        if (asked == null) {
            return answer;
        }
        int cap =
                Math.min(LOW_EFFORT_TOKENS << Reasoning.EFFORTS.indexOf(asked.impliedEffort()), asked.impliedBudget());
        Integer max = request.params().maxTokens();
        if (max != null) {
            cap = Math.min(cap, Math.max(1, max - 1));
        }
        Generated thought = generate(modelId, prompt + "\u0001thinking", cap, List.of());
        ContentBlock.Reasoning reasoning =
                ContentBlock.Reasoning.text(thought.text(), signature(modelId, thought.text()));
        int left = max == null ? Integer.MAX_VALUE : max - thought.outputTokens();
        if (answer.toolUse() == null && answer.outputTokens() > left) {
            List<String> pieces = Tokenizer.pieces(answer.text());
            String cut = String.join("", pieces.subList(0, Math.min(left, pieces.size())));
            return new Generated(cut, max, StopReason.MAX_TOKENS, null, null, reasoning);
        }
        return new Generated(
                answer.text(),
                answer.outputTokens() + thought.outputTokens(),
                answer.stopReason(),
                answer.toolUse(),
                answer.stopSequence(),
                reasoning);
    }

    /** The simulated model's signature of its thinking: a digest of model and text, base64. */
    static String signature(String modelId, String thinking) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((modelId + "\u0000" + thinking).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Answers {@code request} as a tool-using model would: with tools offered and no tool result to read yet
     * (or a choice that forces a tool), it calls a tool (the named one, else the first) with arguments that are an
     * instance of the tool's parameter schema ({@code {"prompt": <the user's last text>}} when the schema names no
     * parameters); otherwise (and always when the choice is none) it answers in text.
     */
    private static Generated answered(String modelId, String prompt, ChatRequest request) {
        List<Message> messages = request.messages();
        boolean hasToolResult = !messages.isEmpty()
                && messages.get(messages.size() - 1).content().stream()
                        .anyMatch(b -> b instanceof ContentBlock.ToolResult);
        ToolChoice choice = request.toolChoice();
        if (request.tools().isEmpty() || hasToolResult || choice.mode() == ToolChoice.Mode.NONE) {
            // A seed draws another answer, the same one each time it is given (OpenAI's best-effort repeatability).
            String sampled = request.params().seed() == null
                    ? prompt
                    : prompt + "\u0000" + request.params().seed();
            // A JSON response format is honoured the way a constrained decoder would: an instance of the schema when
            // one is given, else one JSON object.
            String instance = request.responseFormat() == null
                    ? null
                    : SchemaInstance.answer(request.responseFormat(), seed(modelId, sampled));
            if (instance != null) {
                return limited(instance, request.params().maxTokens());
            }
            Generated text = generate(
                    modelId,
                    sampled,
                    request.params().maxTokens(),
                    request.params().stopSequences());
            if (request.responseFormat() == null) {
                return text;
            }
            String json = "{\"answer\":\"" + jsonEscape(text.text()) + "\"}";
            return new Generated(json, Tokenizer.count(json), text.stopReason(), null, text.stopSequence());
        }
        String name = choice.mode() == ToolChoice.Mode.TOOL
                ? choice.name()
                : request.tools().get(0).name();
        String text = "I will call " + name + ".";
        // The last message's text, or with a system prompt only, that prompt's.
        String userText = messages.isEmpty()
                ? String.join("\n", request.system())
                : messages.get(messages.size() - 1).text();
        long seed = mix(prompt.hashCode() * 31L + name.hashCode());
        String schema = request.tools().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .map(ToolSpec::inputSchemaJson)
                .orElse("{}");
        String input =
                SchemaInstance.toolInput(schema, seed, userText.length() > 200 ? userText.substring(0, 200) : userText);
        String id = "tooluse_" + Long.toHexString(seed & 0xFFFFFFFFFFFFL);
        int tokens = Tokenizer.count(text) + Tokenizer.count(input);
        return new Generated(text, tokens, StopReason.TOOL_USE, new ContentBlock.ToolUse(id, name, input));
    }

    /** {@code text} whole, or its first {@code maxTokens} tokens (stop reason MAX_TOKENS) as a real model is cut. */
    private static Generated limited(String text, Integer maxTokens) {
        List<String> pieces = Tokenizer.pieces(text);
        if (maxTokens == null || pieces.size() <= maxTokens) {
            return new Generated(text, pieces.size(), StopReason.END_TURN);
        }
        return new Generated(String.join("", pieces.subList(0, maxTokens)), maxTokens, StopReason.MAX_TOKENS);
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** What every random choice of one model's answer to one prompt derives from. */
    private static long seed(String modelId, String prompt) {
        return mix(modelId.hashCode() * 31L + prompt.hashCode());
    }

    static Generated generate(String modelId, String prompt, Integer maxTokens, List<String> stopSequences) {
        long seed = seed(modelId, prompt);
        int wanted = 16 + (int) Long.remainderUnsigned(seed, 120);
        int limit = maxTokens == null ? Integer.MAX_VALUE : maxTokens;
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        StopReason reason = StopReason.END_TURN;
        long state = seed;
        while (tokens < wanted) {
            if (tokens >= limit) {
                reason = StopReason.MAX_TOKENS;
                break;
            }
            state = mix(state + 0x9E3779B97F4A7C15L);
            boolean sentenceEnd = tokens > 0 && tokens % 12 == 11;
            if (sentenceEnd) {
                text.append('.');
            } else {
                String word = word(state);
                text.append(
                        text.isEmpty() ? capitalize(word) : (endsSentence(text) ? " " + capitalize(word) : " " + word));
            }
            tokens++;
        }
        if (reason == StopReason.END_TURN && tokens < limit) {
            text.append('.');
            tokens++;
        }
        String out = text.toString();
        int cut = -1; // generation stops at whichever sequence it produces first, not at the first one listed
        String stoppedBy = null;
        for (String stop : stopSequences) {
            int at = out.indexOf(stop); // never empty: InferenceParams leaves such a sequence out
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
                stoppedBy = stop;
            }
        }
        if (cut >= 0) {
            out = out.substring(0, cut);
            return new Generated(out, Tokenizer.count(out), StopReason.STOP_SEQUENCE, null, stoppedBy);
        }
        return new Generated(out, tokens, reason);
    }

    /** The vocabulary's word that {@code state} picks. */
    static String word(long state) {
        return WORDS[(int) Long.remainderUnsigned(state, WORDS.length)];
    }

    private static boolean endsSentence(StringBuilder text) {
        return text.charAt(text.length() - 1) == '.';
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** SplitMix64 finaliser: a cheap, well-distributed 64-bit hash step. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
