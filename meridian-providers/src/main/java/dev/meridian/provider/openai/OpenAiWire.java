package dev.meridian.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical model to OpenAI chat-completions JSON (requests) and back (responses), for the upstream side; the
 * server's OpenAI surface is the inverse, and translation-fidelity tests check the two agree.
 */
public final class OpenAiWire {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiWire() {}

    /**
     * A document in a text format as part of the prompt, delimited and named: chat completions have no document
     * part for text (their {@code file} part is for PDFs), and this is what a model reading a document gets anyway.
     */
    static ContentBlock.Text inlineDocument(ContentBlock.Document d) {
        return new ContentBlock.Text("<document name=\"" + d.name() + "\" format=\"" + d.format() + "\">\n"
                + Documents.text(d) + "\n</document>\n");
    }

    /**
     * What OpenAI-compatible servers differ on in a request's parameters.
     *
     * @param sendTopK a top-k goes as {@code top_k} (vLLM's and llama.cpp's extension; OpenAI and Azure refuse it)
     * @param maxCompletionTokens the output limit goes as {@code max_completion_tokens}, not {@code max_tokens}:
     *     OpenAI's own API deprecated {@code max_tokens} and its reasoning models refuse it, while servers such as
     *     Ollama and older Azure API versions know only {@code max_tokens}
     * @param maxStopSequences the most {@code stop} sequences the server takes: OpenAI and Azure OpenAI take 4 and
     *     refuse more; vLLM, Ollama and llama.cpp's server set no limit
     */
    public record Dialect(boolean sendTopK, boolean maxCompletionTokens, int maxStopSequences) {
        /** OpenAI's own limit on {@code stop}. */
        public static final int OPENAI_MAX_STOP_SEQUENCES = 4;

        /** {@code max_tokens}, no {@code top_k}: what every OpenAI-compatible server takes. */
        public static final Dialect PLAIN = new Dialect(false, false);

        /** A server that takes any number of stop sequences. */
        public Dialect(boolean sendTopK, boolean maxCompletionTokens) {
            this(sendTopK, maxCompletionTokens, Integer.MAX_VALUE);
        }
    }

    public static byte[] request(ChatRequest r, String modelName, boolean stream) {
        return request(r, modelName, stream, Dialect.PLAIN);
    }

    /** As above, in the {@code dialect} of the server it goes to. */
    public static byte[] request(ChatRequest r, String modelName, boolean stream, Dialect dialect) {
        return bytes(tree(r, modelName, stream, dialect));
    }

    /**
     * The body of vLLM's {@code /tokenize} for {@code r}: the chat request's model, messages and tools (what its chat
     * template renders into the prompt), without sampling options it would log as ignored.
     */
    static byte[] tokenizeRequest(ChatRequest r, String modelName, Dialect dialect) {
        return bytes(tree(r, modelName, false, dialect).retain("model", "messages", "tools"));
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode tree(ChatRequest r, String modelName, boolean stream, Dialect dialect) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", modelName);
        ArrayNode messages = root.putArray("messages");
        r.system().forEach(s -> messages.addObject().put("role", "system").put("content", s));
        for (Message m : r.messages()) {
            if (m.role() == Role.USER) {
                StringBuilder text = new StringBuilder();
                List<ContentBlock> parts = new ArrayList<>();
                for (ContentBlock b : m.content()) {
                    if (b instanceof ContentBlock.ToolResult tr) {
                        // OpenAI has no error flag on tool messages: say it in the content rather than drop it.
                        String content = new Message(Role.USER, tr.content()).text();
                        messages.addObject()
                                .put("role", "tool")
                                .put("tool_call_id", tr.toolUseId())
                                .put("content", tr.error() ? "Error: " + content : content);
                    } else if (b instanceof ContentBlock.Text t) {
                        text.append(t.text());
                        parts.add(b);
                    } else if (b instanceof ContentBlock.Document d && Documents.isText(d)) {
                        ContentBlock.Text inline = inlineDocument(d);
                        text.append(inline.text());
                        parts.add(inline);
                    } else if (b instanceof ContentBlock.Image || b instanceof ContentBlock.Document) {
                        parts.add(b);
                    }
                }
                if (parts.stream().anyMatch(b -> !(b instanceof ContentBlock.Text))) {
                    ArrayNode content = messages.addObject().put("role", "user").putArray("content");
                    for (ContentBlock b : parts) {
                        if (b instanceof ContentBlock.Image i) {
                            content.addObject()
                                    .put("type", "image_url")
                                    .putObject("image_url")
                                    .put("url", "data:image/" + i.format() + ";base64," + i.base64());
                        } else if (b instanceof ContentBlock.Document d) {
                            content.addObject()
                                    .put("type", "file")
                                    .putObject("file")
                                    .put("filename", d.name() + "." + d.format())
                                    .put(
                                            "file_data",
                                            "data:" + Documents.mediaType(d.format()) + ";base64," + d.base64());
                        } else {
                            content.addObject().put("type", "text").put("text", ((ContentBlock.Text) b).text());
                        }
                    }
                } else if (!text.isEmpty()) {
                    messages.addObject().put("role", "user").put("content", text.toString());
                }
            } else {
                ObjectNode a = messages.addObject().put("role", "assistant");
                StringBuilder text = new StringBuilder();
                ArrayNode calls = null;
                for (ContentBlock b : m.content()) {
                    if (b instanceof ContentBlock.Text t) {
                        text.append(t.text());
                    } else if (b instanceof ContentBlock.ToolUse u) {
                        calls = calls == null ? a.putArray("tool_calls") : calls;
                        ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
                        call.putObject("function").put("name", u.name()).put("arguments", u.inputJson());
                    }
                }
                a.put("content", text.toString());
            }
        }
        var p = r.params();
        if (p.maxTokens() != null) {
            root.put(dialect.maxCompletionTokens() ? "max_completion_tokens" : "max_tokens", p.maxTokens());
        }
        if (p.temperature() != null) {
            root.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            root.put("top_p", p.topP());
        }
        if (dialect.sendTopK() && p.topK() != null) {
            root.put("top_k", p.topK());
        }
        if (p.frequencyPenalty() != null) {
            root.put("frequency_penalty", p.frequencyPenalty());
        }
        if (p.presencePenalty() != null) {
            root.put("presence_penalty", p.presencePenalty());
        }
        if (p.seed() != null) {
            root.put("seed", p.seed());
        }
        if (p.reasoning() != null) {
            root.put("reasoning_effort", p.reasoning().impliedEffort());
        }
        if (p.logprobs() != null) {
            root.put("logprobs", true);
            if (p.logprobs() > 0) {
                root.put("top_logprobs", p.logprobs());
            }
        }
        if (!p.logitBias().isEmpty()) {
            ObjectNode bias = root.putObject("logit_bias");
            p.logitBias().forEach((token, value) -> {
                if (value == Math.rint(value)) {
                    bias.put(String.valueOf(token), value.longValue()); // as sent: OpenAI documents integers
                } else {
                    bias.put(String.valueOf(token), value);
                }
            });
        }
        if (!p.stopSequences().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            p.stopSequences().forEach(stop::add);
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : r.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function");
                f.put("name", t.name()).put("description", t.description());
                f.set("parameters", json(t.inputSchemaJson()));
            }
            switch (r.toolChoice().mode()) {
                case AUTO -> root.put("tool_choice", "auto");
                case ANY -> root.put("tool_choice", "required");
                case NONE -> root.put("tool_choice", "none");
                case TOOL ->
                    root.putObject("tool_choice")
                            .put("type", "function")
                            .putObject("function")
                            .put("name", r.toolChoice().name());
            }
            if (r.toolChoice().singleCall()) { // vLLM, OpenAI and Azure take it; sent only when asked
                root.put("parallel_tool_calls", false);
            }
        }
        if (r.responseFormat() != null) {
            root.set("response_format", json(r.responseFormat()));
        }
        if (stream) {
            root.put("stream", true);
            root.putObject("stream_options").put("include_usage", true);
        }
        return root;
    }

    /**
     * A message's or a streamed delta's thinking, empty if none: {@code reasoning_content} (DeepSeek's, and vLLM's
     * before 0.10) or {@code reasoning} (vLLM's since, Ollama's, OpenRouter's).
     */
    static String reasoning(JsonNode messageOrDelta) {
        JsonNode r = messageOrDelta.get("reasoning_content");
        if (r == null || !r.isTextual()) {
            r = messageOrDelta.get("reasoning");
        }
        return r != null && r.isTextual() ? r.textValue() : "";
    }

    public static ChatResponse response(byte[] body) {
        JsonNode root = parse(body);
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw garbage();
        }
        List<ContentBlock> blocks = new ArrayList<>();
        String reasoning = reasoning(message);
        if (!reasoning.isEmpty()) {
            blocks.add(ContentBlock.Reasoning.text(reasoning, null));
        }
        String text = message.path("content").asText("");
        if (!text.isEmpty() || !message.has("tool_calls")) {
            blocks.add(new ContentBlock.Text(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            blocks.add(new ContentBlock.ToolUse(
                    call.path("id").asText(),
                    call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText("{}")));
        }
        JsonNode usage = root.path("usage");
        JsonNode vllmStopReason = choice.get("stop_reason");
        StopReason reason = stopReason(choice.path("finish_reason").asText(null), vllmStopReason);
        return new ChatResponse(
                new Message(Role.ASSISTANT, blocks),
                reason,
                new Usage(
                        usage.path("prompt_tokens").asInt(0),
                        usage.path("completion_tokens").asInt(0)),
                logprobs(choice),
                stopSequence(reason, vllmStopReason));
    }

    /** The stop string vLLM named ({@code stop_reason}) when it ended generation, else {@code null}. */
    static String stopSequence(StopReason reason, JsonNode vllmStopReason) {
        return reason == StopReason.STOP_SEQUENCE ? vllmStopReason.textValue() : null;
    }

    /**
     * The token log probabilities of a choice (whole, or a streamed chunk's), from its {@code logprobs.content};
     * none when the server sent none. A member that is not OpenAI's shape is garbage (a server error).
     */
    static List<TokenLogprob> logprobs(JsonNode choice) {
        JsonNode content = choice.path("logprobs").path("content");
        if (content.isMissingNode() || content.isNull()) {
            return List.of();
        }
        if (!content.isArray()) {
            throw garbage();
        }
        List<TokenLogprob> out = new ArrayList<>(content.size());
        for (JsonNode t : content) {
            List<TokenLogprob.Alternative> top = new ArrayList<>();
            for (JsonNode a : t.path("top_logprobs")) {
                top.add(new TokenLogprob.Alternative(token(a), logprob(a), bytes(a)));
            }
            out.add(new TokenLogprob(token(t), logprob(t), bytes(t), top));
        }
        return out;
    }

    private static String token(JsonNode t) {
        if (!t.path("token").isTextual()) {
            throw garbage();
        }
        return t.get("token").textValue();
    }

    /** The bytes the server reported (they differ from the text's for part of a character), else the text's. */
    private static List<Integer> bytes(JsonNode t) {
        JsonNode bytes = t.path("bytes");
        if (!bytes.isArray()) {
            return TokenLogprob.utf8(token(t));
        }
        List<Integer> out = new ArrayList<>(bytes.size());
        for (JsonNode b : bytes) {
            if (!b.canConvertToInt() || !b.isIntegralNumber() || b.intValue() < 0 || b.intValue() > 255) {
                throw garbage();
            }
            out.add(b.intValue());
        }
        return out;
    }

    private static double logprob(JsonNode t) {
        if (!t.path("logprob").isNumber()) {
            throw garbage();
        }
        return t.get("logprob").doubleValue();
    }

    /**
     * As {@link #stopReason(String)}, telling a stop sequence from the end of the turn where the server says which:
     * vLLM's {@code stop_reason} is the stop string that ended generation (a token id for a stop token, null at the
     * end of the sequence); OpenAI reports both as {@code stop}.
     */
    static StopReason stopReason(String finish, JsonNode vllmStopReason) {
        if ("stop".equals(finish) && vllmStopReason != null && vllmStopReason.isTextual()) {
            return StopReason.STOP_SEQUENCE;
        }
        return stopReason(finish);
    }

    static StopReason stopReason(String finish) {
        if (finish == null) {
            return StopReason.END_TURN;
        }
        return switch (finish) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.CONTENT_FILTERED;
            default -> StopReason.END_TURN;
        };
    }

    /** The {@code count} of a vLLM {@code /tokenize} answer; anything else is garbage (a server error). */
    static int tokenCount(byte[] body) {
        JsonNode count = parse(body).path("count");
        if (!count.isIntegralNumber() || !count.canConvertToInt() || count.intValue() < 0) {
            throw garbage();
        }
        return count.intValue();
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw garbage();
            }
            return root;
        } catch (IOException e) {
            throw garbage();
        }
    }

    static UpstreamException garbage() {
        return new UpstreamException(FailureKind.SERVER_ERROR, "upstream returned an unreadable response");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("type", "object");
        }
    }
}
