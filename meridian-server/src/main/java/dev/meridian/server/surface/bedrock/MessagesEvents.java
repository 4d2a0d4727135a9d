package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed Messages API answer as server-sent events: each of Anthropic's stream events (the same chunks
 * InvokeModelWithResponseStream carries base64-encoded in AWS event-stream frames) as {@code event: <type>} and its
 * JSON. One instance per stream.
 */
final class MessagesEvents {
    private final NativeFormat.StreamEncoder chunks;

    MessagesEvents(String modelId, String requestId) {
        this.chunks = NativeFormats.anthropic().streamEncoder(modelId, requestId);
    }

    HttpData encode(ChatEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ObjectNode chunk : chunks.encode(event)) {
            out.writeBytes(event(chunk.path("type").asText(), chunk).array());
        }
        return HttpData.wrap(out.toByteArray());
    }

    static HttpData event(String type, ObjectNode data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(data));
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
        return HttpData.wrap(out.toByteArray());
    }
}
