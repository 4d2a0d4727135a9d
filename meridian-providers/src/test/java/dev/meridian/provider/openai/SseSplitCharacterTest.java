package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer whose body arrives in pieces that split a multi-byte character (what TCP or a buffering proxy
 * in front of the model server may do): the text reaches the caller intact, not with replacement characters.
 */
class SseSplitCharacterTest {
    static final String TEXT = "Grüße aus München, 東京 and 🙂";

    @Test
    void aCharacterSplitAcrossBodyChunks_arrivesWhole() throws Exception {
        byte[] event = ("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + TEXT
                        + "\"}}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] rest = ("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9,"
                        + "\"total_tokens\":12}}\n\ndata: [DONE]\n\n")
                .getBytes(StandardCharsets.UTF_8);
        String asText = new String(event, StandardCharsets.ISO_8859_1);
        // cut inside each multi-byte character: after the first byte of ü, of 東 and of the emoji
        int[] cuts = {
            asText.indexOf(new String("ü".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)) + 1,
            asText.indexOf(new String("東".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)) + 1,
            asText.indexOf(new String("🙂".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)) + 2
        };
        try (RawHttp1Server server = new RawHttp1Server((head, body, answered, out) -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    int from = 0;
                    for (int cut : cuts) {
                        chunk(out, event, from, cut);
                        from = cut;
                    }
                    chunk(out, event, from, event.length);
                    chunk(out, rest, 0, rest.length);
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return true;
                });
                ClientFactory factory = ClientFactory.builder().build()) {
            var stream = server.provider(factory)
                    .converseStream(ProviderCalls.call("greet"))
                    .get(10, TimeUnit.SECONDS);
            List<ChatEvent> events = stream.events().collect().get(10, TimeUnit.SECONDS);
            String text = events.stream()
                    .filter(e -> e instanceof ChatEvent.TextDelta)
                    .map(e -> ((ChatEvent.TextDelta) e).text())
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo(TEXT);
        }
    }

    /** One HTTP chunk of {@code bytes[from, to)}, flushed and given time to leave as its own segment. */
    private static void chunk(OutputStream out, byte[] bytes, int from, int to) throws IOException {
        out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes, from, to - from);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
