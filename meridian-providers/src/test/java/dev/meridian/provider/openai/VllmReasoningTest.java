package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Reasoning;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reasoning model behind an OpenAI-compatible server is asked with {@code reasoning_effort}, and its thinking, in
 * {@code reasoning_content} (DeepSeek, vLLM before 0.10) or {@code reasoning} (vLLM since), becomes the answer's
 * first block, whole and streamed, with the text after it.
 */
class VllmReasoningTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reasoning_content", "reasoning"})
    void theUpstreamsThinking_comesFirst_wholeAndStreamed(String member) throws Exception {
        String whole =
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"" + member + "\":\"Let me think.\","
                        + "\"content\":\"Done.\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":6}}";
        String streamed = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"" + member + "\":\"Let me \"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"" + member + "\":\"think.\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Done.\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        AtomicReference<String> asked = new AtomicReference<>();
        try (RawHttp1Server server = new RawHttp1Server(RawHttp1Server.wholeOrStreamed(whole, streamed, asked::set));
                ClientFactory factory = ClientFactory.builder().build()) {
            var provider = server.provider(factory);
            InferenceParams thinking = InferenceParams.DEFAULTS.withReasoning(Reasoning.budget(20000));
            var answer = provider.converse(ProviderCalls.call("hi", thinking)).get(10, TimeUnit.SECONDS);
            assertThat(asked.get()).contains("\"reasoning_effort\":\"high\"");
            assertThat(answer.message().content())
                    .containsExactly(
                            ContentBlock.Reasoning.text("Let me think.", null), new ContentBlock.Text("Done."));
            List<ChatEvent> events = provider.converseStream(ProviderCalls.call("hi", thinking))
                    .get(10, TimeUnit.SECONDS)
                    .events()
                    .collect()
                    .get(10, TimeUnit.SECONDS);
            assertThat(events)
                    .filteredOn(e -> !(e instanceof ChatEvent.MessageStart
                            || e instanceof ChatEvent.MessageStop
                            || e instanceof ChatEvent.Metadata))
                    .containsExactly(
                            ChatEvent.ReasoningDelta.text(0, "Let me "),
                            ChatEvent.ReasoningDelta.text(0, "think."),
                            new ChatEvent.BlockStop(0),
                            new ChatEvent.TextDelta(1, "Done."),
                            new ChatEvent.BlockStop(1));
            provider.converse(ProviderCalls.call("hi")).get(10, TimeUnit.SECONDS);
            assertThat(asked.get()).as("not asked, not sent").doesNotContain("reasoning_effort");
        }
    }
}
