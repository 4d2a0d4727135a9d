package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.StreamFailures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns canonical stream events into the Responses API's server-sent events, numbered by {@code sequence_number}:
 * {@code response.created} and {@code response.in_progress}; for each output item (thinking, the answer's text, each
 * function call) {@code response.output_item.added}, its deltas and its {@code .done} events; and
 * {@code response.completed} (or {@code response.incomplete} at the output limit) carrying the whole response, which
 * the SDKs' stream helpers take as the final answer. One instance per stream; not thread-safe (a stream's events
 * arrive in order on one subscriber).
 */
final class ResponseEvents {
    private enum Open {
        NONE,
        REASONING,
        MESSAGE,
        FUNCTION_CALL
    }

    private final ResponsesCodec.Parsed parsed;
    private final String id;
    private final long createdAt;
    private final ResponsesCodec.ItemIds ids;
    private final boolean sealsThinking;
    private final boolean summarizesThinking;
    private final ArrayNode output = Json.MAPPER.createArrayNode();
    private int sequence;
    private Open open = Open.NONE;
    private ObjectNode item;
    private String openPart;
    private int reasoningIndex;
    private final StringBuilder text = new StringBuilder();
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private StopReason stopReason = StopReason.END_TURN;

    ResponseEvents(ResponsesCodec.Parsed parsed, String id, long createdAt) {
        this.parsed = parsed;
        this.id = id;
        this.createdAt = createdAt;
        this.ids = new ResponsesCodec.ItemIds(id);
        this.sealsThinking = parsed.sealsThinking();
        this.summarizesThinking = parsed.summarizesThinking();
    }

    HttpData encode(ChatEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (event) {
            case ChatEvent.MessageStart m -> {
                ObjectNode inProgress = response("in_progress", null);
                write(out, "response.created", e -> e.set("response", inProgress));
                write(out, "response.in_progress", e -> e.set("response", inProgress));
            }
            case ChatEvent.ReasoningDelta d -> reasoning(out, d);
            case ChatEvent.TextDelta d -> {
                if (open != Open.MESSAGE) {
                    close(out);
                    openItem(
                            out,
                            Open.MESSAGE,
                            ResponsesCodec.message(ids.next("msg"), null, "in_progress"),
                            "output_text");
                }
                text.append(d.text());
                logprobs.addAll(d.logprobs());
                write(out, "response.output_text.delta", e -> {
                    inItem(e).put("content_index", 0).put("delta", d.text());
                    e.set("logprobs", ResponsesCodec.logprobs(d.logprobs()));
                });
            }
            case ChatEvent.BlockStart b -> {
                close(out);
                openItem(
                        out,
                        Open.FUNCTION_CALL,
                        ResponsesCodec.functionCall(ids.next("fc"), b.toolUseId(), b.toolName(), "", "in_progress"),
                        null);
            }
            case ChatEvent.ToolInputDelta d -> {
                text.append(d.json());
                write(
                        out,
                        "response.function_call_arguments.delta",
                        e -> inItem(e).put("delta", d.json()));
            }
            case ChatEvent.BlockStop s -> {
                if (open == Open.FUNCTION_CALL) {
                    close(out);
                } // text stays open until the stop reason says whether it is complete; thinking until the text starts
            }
            case ChatEvent.MessageStop s -> {
                stopReason = s.stopReason();
                close(out);
            }
            case ChatEvent.Metadata m -> {
                close(out);
                String status = ResponsesCodec.status(stopReason);
                ObjectNode done = response(status, m.usage());
                write(
                        out,
                        status.equals("completed") ? "response.completed" : "response.incomplete",
                        e -> e.set("response", done));
            }
        }
        return HttpData.wrap(out.toByteArray());
    }

    /**
     * A thinking block's delta: its text streamed as {@code reasoning_text} (and as the item's summary, when asked
     * for); its signature, or the redacted block, kept for the item's {@code encrypted_content} when the request
     * included it (else it has no place in this API).
     */
    private void reasoning(ByteArrayOutputStream out, ChatEvent.ReasoningDelta d) {
        if (d.text() == null && !sealsThinking) {
            return;
        }
        if (open != Open.REASONING || d.index() != reasoningIndex) {
            close(out);
            reasoningIndex = d.index();
            openItem(
                    out,
                    Open.REASONING,
                    ResponsesCodec.reasoning(ids.next("rs"), null, null, false),
                    d.redactedBase64() == null ? "reasoning_text" : null);
            if (summarizesThinking && openPart != null) {
                ObjectNode part = ResponsesCodec.summaryText("");
                write(
                        out,
                        "response.reasoning_summary_part.added",
                        e -> inItem(e).put("summary_index", 0).set("part", part));
            }
        }
        if (d.text() != null) {
            text.append(d.text());
            write(
                    out,
                    "response.reasoning_text.delta",
                    e -> inItem(e).put("content_index", 0).put("delta", d.text()));
            if (summarizesThinking) {
                write(
                        out,
                        "response.reasoning_summary_text.delta",
                        e -> inItem(e).put("summary_index", 0).put("delta", d.text()));
            }
        } else {
            item.put(
                    "encrypted_content",
                    d.signature() != null
                            ? SealedThinking.signature(d.signature())
                            : SealedThinking.redacted(d.redactedBase64()));
        }
    }

    /**
     * What ends a stream whose destination failed after the first byte: an {@code error} event, then
     * {@code response.failed} with the response as far as it got.
     */
    HttpData failure(Throwable cause) {
        GatewayException error = StreamFailures.of(cause);
        ObjectNode body = (ObjectNode) OpenAiErrors.body(error).get("error");
        String code = body.path("code").isTextual() ? body.get("code").textValue() : "server_error";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(
                out,
                "error",
                e -> e.put("code", code).put("message", error.getMessage()).putNull("param"));
        ObjectNode failed = response("failed", null);
        failed.putObject("error").put("code", code).put("message", error.getMessage());
        write(out, "response.failed", e -> e.set("response", failed));
        return HttpData.wrap(out.toByteArray());
    }

    /** Opens an output item: {@code output_item.added}, and for one with content its first part's {@code added}. */
    private void openItem(ByteArrayOutputStream out, Open kind, ObjectNode added, String partType) {
        open = kind;
        item = added;
        openPart = partType;
        text.setLength(0);
        logprobs.clear();
        ObjectNode snapshot = added.deepCopy();
        write(
                out,
                "response.output_item.added",
                e -> e.put("output_index", output.size()).set("item", snapshot));
        if (partType != null) {
            ObjectNode part = part(partType, "");
            write(
                    out,
                    "response.content_part.added",
                    e -> inItem(e).put("content_index", 0).set("part", part));
        }
    }

    /** Closes the open item, if any: its text's or arguments' {@code .done}, its part's, then the item's. */
    private void close(ByteArrayOutputStream out) {
        if (open == Open.NONE) {
            return;
        }
        String whole = text.toString();
        switch (open) {
            case REASONING -> {
                if (openPart != null) { // redacted thinking has no text
                    partDone(out, "response.reasoning_text.done", "reasoning_text", whole);
                    if (summarizesThinking) {
                        summaryDone(out, whole);
                    }
                }
            }
            case MESSAGE -> {
                partDone(out, "response.output_text.done", "output_text", whole);
                item.put("status", ResponsesCodec.status(stopReason));
            }
            case FUNCTION_CALL -> {
                write(
                        out,
                        "response.function_call_arguments.done",
                        e -> inItem(e).put("name", item.get("name").textValue()).put("arguments", whole));
                item.put("arguments", whole).put("status", "completed");
            }
            case NONE -> {}
        }
        ObjectNode done = item;
        write(
                out,
                "response.output_item.done",
                e -> e.put("output_index", output.size()).set("item", done.deepCopy()));
        output.add(done);
        open = Open.NONE;
        item = null;
        text.setLength(0);
        logprobs.clear();
    }

    /** The open reasoning item's summary, done: its text's {@code .done} event, its part's, kept in the item. */
    private void summaryDone(ByteArrayOutputStream out, String whole) {
        write(
                out,
                "response.reasoning_summary_text.done",
                e -> inItem(e).put("summary_index", 0).put("text", whole));
        ObjectNode part = ResponsesCodec.summaryText(whole);
        write(
                out,
                "response.reasoning_summary_part.done",
                e -> inItem(e).put("summary_index", 0).set("part", part));
        item.withArray("summary").add(part.deepCopy());
    }

    /** The open item's one part, done: its text's {@code .done} event, the part's, and the part kept in the item. */
    private void partDone(ByteArrayOutputStream out, String textDone, String partType, String whole) {
        ObjectNode part = part(partType, whole);
        if (partType.equals("output_text")) {
            part.set("logprobs", ResponsesCodec.logprobs(logprobs));
        }
        write(out, textDone, e -> {
            inItem(e).put("content_index", 0).put("text", whole);
            if (partType.equals("output_text")) {
                e.set("logprobs", part.get("logprobs").deepCopy());
            }
        });
        write(
                out,
                "response.content_part.done",
                e -> inItem(e).put("content_index", 0).set("part", part));
        item.withArray("content").add(part.deepCopy());
    }

    private static ObjectNode part(String type, String text) {
        return type.equals("output_text")
                ? ResponsesCodec.outputText(text)
                : Json.object().put("type", type).put("text", text);
    }

    /** An event about the open item: its id and its place in the output. */
    private ObjectNode inItem(ObjectNode event) {
        return event.put("item_id", item.get("id").textValue()).put("output_index", output.size());
    }

    private ObjectNode response(String status, Usage usage) {
        return ResponsesCodec.response(parsed, id, createdAt, status, output.deepCopy(), usage, stopReason);
    }

    private void write(ByteArrayOutputStream out, String type, Consumer<ObjectNode> fill) {
        ObjectNode event = Json.object().put("type", type);
        fill.accept(event);
        event.put("sequence_number", sequence++);
        out.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(event));
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
