package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import java.util.List;

/**
 * A model family's native request and response bodies, as {@code InvokeModel} and
 * {@code InvokeModelWithResponseStream} carry them, translated to and from the canonical model.
 */
interface NativeFormat {

    /**
     * Parses a native request body.
     *
     * @throws dev.meridian.core.error.GatewayException VALIDATION naming the offending field
     */
    ChatRequest parse(JsonNode body);

    /** The native response body of a whole answer. */
    ObjectNode render(ChatResponse response, String modelId, String requestId);

    /** A fresh encoder for one streamed answer. */
    StreamEncoder streamEncoder(String modelId, String requestId);

    /** Turns canonical stream events into the family's native stream chunks (JSON objects, in order). */
    interface StreamEncoder {
        /** Zero or more chunks for {@code event} (the caller adds Bedrock's invocation metrics to the last). */
        List<ObjectNode> encode(ChatEvent event);
    }
}
