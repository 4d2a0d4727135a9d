package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.server.http.Json;
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
        this.id = id;
        this.model = model;
        this.created = created;
        this.includeUsage = includeUsage;
        this.vllmStopReason = vllmStopReason;
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
                ObjectNode choice = c.withArray("choices").addObject().put("index", 0);
                choice.put("finish_reason", finishReason).putObject("delta");
                if (vllmStopReason) {
                    choice.put("stop_reason", stopSequence);
                }
                write(out, c);
                if (includeUsage) {
                    ObjectNode u = chunk();
                    u.putArray("choices");
                    u.set("usage", ChatCompletionsCodec.usage(m.usage()));
                    write(out, u);
                }
                out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        return HttpData.wrap(out.toByteArray());
    }

    /** The event that ends a stream whose upstream failed after the first byte (OpenAI streams errors as data). */
    public static HttpData failure(Throwable cause) {
        Throwable c = Failures.cause(cause);
        GatewayException error = c instanceof UpstreamException u
                ? new GatewayException(
                        u.kind() == dev.meridian.core.route.FailureKind.THROTTLED
                                ? ErrorKind.THROTTLED
                                : ErrorKind.SERVICE_UNAVAILABLE,
                        "The model stream failed after it started: " + u.getMessage() + ".")
                : new GatewayException(ErrorKind.INTERNAL, "The stream failed inside the gateway.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, OpenAiErrors.body(error));
        return HttpData.wrap(out.toByteArray());
    }

    /** A chunk with one choice whose {@code delta} {@code fill} writes. */
    private ObjectNode delta(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode c = chunk();
        fill.accept(c.withArray("choices")
                .addObject()
                .put("index", 0)
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
