package dev.meridian.server.surface.openai;

import dev.meridian.core.error.GatewayException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's rule for tool messages, checked as the conversation is read: an assistant message's {@code tool_calls}
 * are answered by the {@code tool} messages right after it, one per call id, and a tool message answers a call of
 * that assistant message. Every destination needs it (Converse refuses a tool result without its tool use, and a
 * tool use left unanswered), so a conversation breaking it is the caller's 400 in OpenAI's words, not an upstream's
 * failure after routing.
 */
final class ToolCallPairing {
    private final Set<String> unanswered = new LinkedHashSet<>();
    private boolean inToolTurn;

    /** Opens a turn of tool messages answering {@code callIds} (an assistant message's tool calls). */
    void toolCalls(List<String> callIds) {
        closeTurn();
        unanswered.addAll(callIds);
        inToolTurn = !callIds.isEmpty();
    }

    /** A {@code tool} message answering {@code callId}. */
    void toolMessage(String callId) {
        if (!inToolTurn || !unanswered.remove(callId)) {
            // OpenAI's message, its spelling included, so callers matching on it keep working.
            throw GatewayException.invalidParameter(
                    "messages",
                    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with"
                            + " 'tool_calls'.");
        }
    }

    /** A message of another role, or the conversation's end: the open turn must have answered every call. */
    void closeTurn() {
        if (!unanswered.isEmpty()) {
            throw GatewayException.invalidParameter(
                    "messages",
                    "An assistant message with 'tool_calls' must be followed by tool messages responding to each"
                            + " 'tool_call_id'. The following tool_call_ids did not have response messages: "
                            + String.join(", ", unanswered));
        }
        inToolTurn = false;
    }
}
