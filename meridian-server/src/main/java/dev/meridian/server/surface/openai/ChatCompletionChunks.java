package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.StreamFailures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns canonical stream events into OpenAI's server-sent events: {@code chat.completion.chunk} objects with
 * {@code delta}s (role first, then content or {@code tool_calls} fragments), a final chunk with
 * {@code finish_reason}, an optional usage chunk ({@code stream_options.include_usage}) and {@code data: [DONE]}.
 * One instance per stream; not thread-safe (a stream's events arrive in order on one subscriber).
 */
public final class ChatCompletionChunks {
    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;
    private final boolean vllmStopReason;
    private final int choice;
    private final boolean endsTheStream;
    private int toolCalls = -1;
    private String finishReason = "stop";
    private String stopSequence;

    public ChatCompletionChunks(String id, String model, long created, boolean includeUsage) {
        this(id, model, created, includeUsage, false);
    }

    /**
     * As above; with {@code vllmStopReason} the final chunk also names, as vLLM's does, the stop sequence that ended
     * generation ({@code stop_reason}, null for any other stop): for the simulator standing in for vLLM, not for
     * the gateway's OpenAI surface, whose answers are OpenAI's.
     */
    public ChatCompletionChunks(String id, String model, long created, boolean includeUsage, boolean vllmStopReason) {
        this(id, model, created, includeUsage, vllmStopReason, 0, true);
    }

    private ChatCompletionChunks(
            String id,
            String model,
            long created,
            boolean includeUsage,
            boolean vllmStopReason,
            int choice,
            boolean endsTheStream) {
        this.id = id;
        this.model = model;
        this.created = created;
        this.includeUsage = includeUsage;
        this.vllmStopReason = vllmStopReason;
        this.choice = choice;
        this.endsTheStream = endsTheStream;
    }

    /**
     * The chunks of choice {@code index} of several streamed in one answer (OpenAI's {@code n}): its final chunk
     * has its {@code finish_reason}; the usage and {@code [DONE]}, once for all, come from {@link #end}.
     */
    static ChatCompletionChunks ofChoice(String id, String model, long created, int index) {
        return new ChatCompletionChunks(id, model, created, false, false, index, false);
    }

    /** What ends a stream of several choices: the usage chunk when asked for ({@code usage}), then {@code [DONE]}. */
    static HttpData end(
            String id, String model, long created, boolean includeUsage, dev.meridian.core.chat.Usage usage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ChatCompletionChunks(id, model, created, includeUsage, false).finish(out, usage);
        return HttpData.wrap(out.toByteArray());
    }

    public HttpData encode(ChatEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (event) {
            case ChatEvent.MessageStart m ->
                write(out, delta(c -> c.put("role", "assistant").put("content", "")));
            case ChatEvent.TextDelta d -> {
                ObjectNode c = delta(delta -> delta.put("content", d.text()));
                if (!d.logprobs().isEmpty()) {
                    ((ObjectNode) c.get("choices").get(0)).set("logprobs", ChatCompletionsCodec.logprobs(d.logprobs()));
                }
                write(out, c);
            }
            case ChatEvent.BlockStart b -> {
                toolCalls++;
                write(out, delta(c -> {
                    ObjectNode call = c.putArray("tool_calls").addObject();
                    call.put("index", toolCalls).put("id", b.toolUseId()).put("type", "function");
                    call.putObject("function").put("name", b.toolName()).put("arguments", "");
                }));
            }
            case ChatEvent.ReasoningDelta d -> {
                if (d.text() != null) { // a signature or redacted thinking has no place in OpenAI's chunks
                    write(out, delta(c -> c.put("reasoning_content", d.text())));
                }
            }
            case ChatEvent.ToolInputDelta d ->
                write(
                        out,
                        delta(c -> c.putArray("tool_calls")
                                .addObject()
                                .put("index", toolCalls)
                                .putObject("function")
                                .put("arguments", d.json())));
            case ChatEvent.BlockStop s -> {}
            case ChatEvent.MessageStop s -> {
                finishReason = ChatCompletionsCodec.finishReason(s.stopReason());
                stopSequence = s.stopSequence();
            }
            case ChatEvent.Metadata m -> {
                ObjectNode c = chunk();
                ObjectNode last = c.withArray("choices").addObject().put("index", choice);
                last.put("finish_reason", finishReason).putObject("delta");
                if (vllmStopReason) {
                    last.put("stop_reason", stopSequence);
                }
                write(out, c);
                if (endsTheStream) {
                    finish(out, m.usage());
                }
            }
        }
        return HttpData.wrap(out.toByteArray());
    }

    /** The usage chunk when asked for, then {@code [DONE]}. */
    private void finish(ByteArrayOutputStream out, dev.meridian.core.chat.Usage usage) {
        if (includeUsage) {
            ObjectNode u = chunk();
            u.putArray("choices");
            u.set("usage", ChatCompletionsCodec.usage(usage));
            write(out, u);
        }
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }

    /** The event that ends a stream whose upstream failed after the first byte (OpenAI streams errors as data). */
    public static HttpData failure(Throwable cause) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, OpenAiErrors.body(StreamFailures.of(cause)));
        return HttpData.wrap(out.toByteArray());
    }

    /** A chunk with one choice whose {@code delta} {@code fill} writes. */
    private ObjectNode delta(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode c = chunk();
        fill.accept(c.withArray("choices")
                .addObject()
                .put("index", choice)
                .putNull("finish_reason")
                .putObject("delta"));
        return c;
    }

    private ObjectNode chunk() {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
    }

    private static void write(ByteArrayOutputStream out, ObjectNode json) {
        out.writeBytes("data: ".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(json));
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
