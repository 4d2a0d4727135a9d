package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The frames Meridian writes decode, with the decoder AWS SDKs use, to exactly what was written, however they
 * are split across network reads; and a frame damaged anywhere (one flipped bit, or cut short) never decodes
 * as a valid message.
 */
class EventStreamProperties {

    @Provide
    Arbitrary<String> eventTypes() {
        return Arbitraries.of(
                "messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata", "chunk");
    }

    @Property(tries = 300)
    void event_roundTripsThroughTheSdkDecoder_inAnySplit(
            @ForAll("eventTypes") String type, @ForAll byte[] payload, @ForAll @IntRange(min = 1, max = 64) int split) {
        byte[] frame = EventStreamWriter.event(type, payload).array();
        List<Message> decoded = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(decoded::add);
        for (int i = 0; i < frame.length; i += split) {
            decoder.feed(Arrays.copyOfRange(frame, i, Math.min(frame.length, i + split)));
        }
        assertThat(decoded).hasSize(1);
        Message m = decoded.get(0);
        assertThat(m.getHeaders().get(":event-type").getString()).isEqualTo(type);
        assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
        assertThat(m.getHeaders().get(":content-type").getString()).isEqualTo("application/json");
        assertThat(m.getPayload()).isEqualTo(payload);
    }

    @Property(tries = 300)
    void exceptionFrame_carriesItsTypeAndMessageType(@ForAll("exceptionTypes") String type) {
        HttpData frame = EventStreamWriter.exception(type, "{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        Message m = Message.decode(java.nio.ByteBuffer.wrap(frame.array()));
        assertThat(m.getHeaders().get(":exception-type").getString()).isEqualTo(type);
        assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("exception");
    }

    @Provide
    Arbitrary<String> exceptionTypes() {
        return Arbitraries.of(
                "throttlingException",
                "modelStreamErrorException",
                "internalServerException",
                "serviceUnavailableException",
                "validationException",
                "modelTimeoutException");
    }

    @Property(tries = 500)
    void anyFlippedBit_isDetected(@ForAll byte[] payload, @ForAll @IntRange(min = 0, max = 1 << 20) int position) {
        byte[] frame = EventStreamWriter.event("contentBlockDelta", payload).array();
        int bit = position % (frame.length * 8);
        frame[bit / 8] ^= (byte) (1 << (bit % 8));
        List<Message> decoded = new ArrayList<>();
        try {
            new MessageDecoder(decoded::add).feed(frame);
        } catch (RuntimeException expected) {
            return; // CRC or length mismatch: refused
        }
        // A flipped length bit can make the decoder wait for more bytes; it must never yield a message.
        assertThat(decoded).isEmpty();
    }

    @Property(tries = 200)
    void truncatedFrame_neverYieldsAMessage(@ForAll byte[] payload, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] frame = EventStreamWriter.event("chunk", payload).array();
        byte[] truncated = Arrays.copyOf(frame, cut % frame.length);
        List<Message> decoded = new ArrayList<>();
        new MessageDecoder(decoded::add).feed(truncated);
        assertThat(decoded).isEmpty();
    }

    @Property(tries = 5)
    void hugeHeaderValue_isRefusedByTheEncoder(@ForAll @IntRange(min = 65_536, max = 200_000) int size) {
        String huge = "x".repeat(size);
        assertThatThrownBy(() -> EventStreamWriter.event(huge, new byte[0])).isInstanceOf(RuntimeException.class);
    }
}
