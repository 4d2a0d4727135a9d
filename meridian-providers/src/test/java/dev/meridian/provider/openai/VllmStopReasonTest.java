package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.StopReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenAI reports a stop sequence and the end of the turn alike ({@code finish_reason: stop}); vLLM says which in
 * {@code stop_reason} (the stop string, a stop token's id, or null), so a Converse caller gets {@code stop_sequence}
 * from a vLLM upstream as from Bedrock, and which one, whole and streamed.
 */
class VllmStopReasonTest {

    @ParameterizedTest(name = "stop_reason {0}")
    @CsvSource({"'\"END\"', STOP_SEQUENCE, END", "128009, END_TURN,", "null, END_TURN,"})
    void vllmsStopReason_tellsAStopSequenceFromTheEndOfTheTurn(
            String stopReason, StopReason expected, String expectedSequence) throws Exception {
        String whole =
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"Done \"},\"finish_reason\":\"stop\","
                        + "\"stop_reason\":" + stopReason
                        + "}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}";
        String streamed =
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Done \"}}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"stop_reason\":"
                        + stopReason + "}]}\n\ndata: [DONE]\n\n";
        try (RawHttp1Server server =
                        new RawHttp1Server(RawHttp1Server.wholeOrStreamed(whole, streamed, request -> {}));
                ClientFactory factory = ClientFactory.builder().build()) {
            var provider = server.provider(factory);
            var answer = provider.converse(ProviderCalls.call("hi")).get(10, TimeUnit.SECONDS);
            assertThat(answer.stopReason()).isEqualTo(expected);
            assertThat(answer.stopSequence()).isEqualTo(expectedSequence);
            List<ChatEvent> events = provider.converseStream(ProviderCalls.call("hi"))
                    .get(10, TimeUnit.SECONDS)
                    .events()
                    .collect()
                    .get(10, TimeUnit.SECONDS);
            assertThat(events)
                    .filteredOn(e -> e instanceof ChatEvent.MessageStop)
                    .singleElement()
                    .isEqualTo(new ChatEvent.MessageStop(expected, expectedSequence));
        }
    }
}
