package dev.meridian.server.surface.bedrock;

import com.linecorp.armeria.common.HttpData;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Frames messages in the AWS event-stream binary format ({@code application/vnd.amazon.eventstream}: prelude,
 * CRC-32 checked headers and payload) with {@code software.amazon.eventstream}, the library AWS SDKs decode it
 * with. Header order is fixed ({@code :event-type}/{@code :exception-type}, {@code :content-type},
 * {@code :message-type}) and {@code :message-type} is always present, as Bedrock sends it.
 */
public final class EventStreamWriter {
    /** The response content type of event streams. */
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private EventStreamWriter() {}

    /** An {@code event} frame of union member {@code eventType} with a JSON payload. */
    public static HttpData event(String eventType, byte[] json) {
        return frame(EVENT_HEADERS.computeIfAbsent(eventType, EventStreamWriter::eventHeaders), json);
    }

    /** Header maps are immutable and few (one per event type), so they are built once. */
    private static final Map<String, Map<String, HeaderValue>> EVENT_HEADERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Map<String, HeaderValue> eventHeaders(String eventType) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return java.util.Collections.unmodifiableMap(headers);
    }

    /** A modeled {@code exception} frame, e.g. {@code throttlingException}, with a JSON payload. */
    public static HttpData exception(String exceptionType, byte[] json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return frame(headers, json);
    }

    private static HttpData frame(Map<String, HeaderValue> headers, byte[] payload) {
        ByteBuffer encoded = new Message(headers, payload).toByteBuffer();
        if (encoded.hasArray()) {
            return HttpData.wrap(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return HttpData.wrap(bytes);
    }
}
