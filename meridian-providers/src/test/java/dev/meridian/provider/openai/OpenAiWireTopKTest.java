package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A top-k goes to an OpenAI-compatible upstream only when the operator said it takes one. */
class OpenAiWireTopKTest {
    static JsonNode wire(Integer topK, boolean sendTopK) throws Exception {
        ChatRequest request = new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "hi")),
                new InferenceParams(10, null, null, List.of(), topK),
                Map.of());
        return OpenAiWire.MAPPER.readTree(OpenAiWire.request(request, "m", false, sendTopK));
    }

    @Test
    void toAnUpstreamThatTakesIt_topKIsSent() throws Exception {
        assertThat(wire(40, true).path("top_k").asInt()).isEqualTo(40);
        assertThat(wire(null, true).has("top_k")).isFalse();
    }

    @Test
    void toAnyOther_itIsNot() throws Exception {
        assertThat(wire(40, false).has("top_k")).isFalse(); // OpenAI and Azure refuse top_k
    }
}
