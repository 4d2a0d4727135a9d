package dev.meridian.provider;

import com.linecorp.armeria.common.stream.StreamMessage;
import dev.meridian.core.chat.ChatEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A streamed answer that has started: events arrive as the model produces them (with backpressure), and the
 * stream fails with {@link dev.meridian.core.route.UpstreamException} if the destination is lost mid-way.
 * Cancelling the subscription cancels the upstream call.
 *
 * @param events the answer's events, starting with {@link ChatEvent.MessageStart}
 * @param completion output tokens plus one when the stream completes; exceptional when it fails or is cancelled
 */
public record ChatStream(StreamMessage<ChatEvent> events, CompletableFuture<Integer> completion) {

    public ChatStream {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(completion, "completion");
    }
}
