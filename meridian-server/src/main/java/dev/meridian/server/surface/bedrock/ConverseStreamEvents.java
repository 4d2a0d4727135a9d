package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.error.Failures;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.server.http.Json;
import java.util.function.LongSupplier;

/**
 * Translates canonical {@link ChatEvent}s into ConverseStream's event-stream frames ({@code ConverseStreamOutput}
 * union members, bedrock-runtime 2023-09-30), and a mid-stream failure into a modeled exception frame.
 */
final class ConverseStreamEvents {
    private ConverseStreamEvents() {}

    /**
     * {@code event}'s frame; the metadata event also says how the request's options were {@code served}, and the stop
     * event carries the model response fields asked for.
     */
    static HttpData frame(ChatEvent event, LongSupplier latencyMillis, InvocationOptions.Served served) {
        ObjectNode p = Json.object();
        String type = switch (event) {
            case ChatEvent.MessageStart m -> {
                p.put("role", "assistant");
                yield "messageStart";
            }
            case ChatEvent.BlockStart b -> {
                ObjectNode toolUse = p.putObject("start").putObject("toolUse");
                toolUse.put("toolUseId", b.toolUseId());
                toolUse.put("name", b.toolName());
                p.put("contentBlockIndex", b.index());
                yield "contentBlockStart";
            }
            case ChatEvent.TextDelta d -> {
                p.putObject("delta").put("text", d.text());
                p.put("contentBlockIndex", d.index());
                yield "contentBlockDelta";
            }
            case ChatEvent.ReasoningDelta d -> {
                p.set("delta", ConverseReasoning.delta(d));
                p.put("contentBlockIndex", d.index());
                yield "contentBlockDelta";
            }
            case ChatEvent.ToolInputDelta d -> {
                p.putObject("delta").putObject("toolUse").put("input", d.json());
                p.put("contentBlockIndex", d.index());
                yield "contentBlockDelta";
            }
            case ChatEvent.BlockStop s -> {
                p.put("contentBlockIndex", s.index());
                yield "contentBlockStop";
            }
            case ChatEvent.MessageStop s -> {
                p.put("stopReason", ConverseCodec.stopReason(s.stopReason()));
                served.addResponseFields(p, s.stopSequence());
                yield "messageStop";
            }
            case ChatEvent.Metadata m -> {
                ObjectNode usage = p.putObject("usage");
                usage.put("inputTokens", m.usage().inputTokens());
                usage.put("outputTokens", m.usage().outputTokens());
                usage.put("totalTokens", m.usage().totalTokens());
                p.putObject("metrics").put("latencyMs", latencyMillis.getAsLong());
                served.addTo(p);
                yield "metadata";
            }
        };
        return EventStreamWriter.event(type, Json.bytes(p));
    }

    /** The exception frame that ends a stream whose upstream failed after the first byte. */
    static HttpData failure(Throwable cause) {
        Throwable c = Failures.cause(cause);
        ObjectNode p = Json.object();
        String type;
        if (c instanceof UpstreamException u) {
            switch (u.kind()) {
                case THROTTLED -> {
                    type = "throttlingException";
                    p.put("message", "Too many requests, please wait before trying again.");
                }
                default -> {
                    type = "modelStreamErrorException";
                    p.put("message", "The model stream failed after it started: " + u.getMessage() + ".");
                    p.put("originalStatusCode", 503);
                    p.put("originalMessage", u.kind().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        } else {
            type = "internalServerException";
            p.put("message", "The stream failed inside the gateway.");
        }
        return EventStreamWriter.exception(type, Json.bytes(p));
    }
}
