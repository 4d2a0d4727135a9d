package dev.meridian.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A streamed answer, rebuilt, is what the whole call would have returned: its log probabilities included. */
class StreamAssemblerTest {
    static TokenLogprob token(String text, double logprob) {
        return new TokenLogprob(text, logprob, List.of(new TokenLogprob.Alternative(text, logprob)));
    }

    @Test
    void textAndLogprobsOfEveryDelta_areJoinedInOrder() {
        StreamAssembler assembler = new StreamAssembler();
        List.of(
                        new ChatEvent.MessageStart(5),
                        new ChatEvent.TextDelta(0, "Hello", List.of(token("Hello", -0.1))),
                        new ChatEvent.TextDelta(0, " there.", List.of(token(" there", -0.7), token(".", -0.01))),
                        new ChatEvent.BlockStop(0),
                        new ChatEvent.MessageStop(StopReason.END_TURN),
                        new ChatEvent.Metadata(new Usage(5, 3)))
                .forEach(assembler::accept);

        ChatResponse response = assembler.response();
        assertThat(response.message().text()).isEqualTo("Hello there.");
        assertThat(response.logprobs()).containsExactly(token("Hello", -0.1), token(" there", -0.7), token(".", -0.01));
        assertThat(response.usage()).isEqualTo(new Usage(5, 3));
    }

    @Test
    void deltasWithoutLogprobs_leaveNone() {
        StreamAssembler assembler = new StreamAssembler();
        assembler.accept(new ChatEvent.TextDelta(0, "Hi"));
        assertThat(assembler.response().logprobs()).isEmpty();
    }
}
