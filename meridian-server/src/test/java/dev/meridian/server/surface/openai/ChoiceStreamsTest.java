package dev.meridian.server.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChoiceStreamsTest {
    private final EventExecutor loop = CommonPools.workerGroup().next();

    private static String text(List<HttpData> chunks) {
        return chunks.stream().map(HttpData::toStringUtf8).collect(Collectors.joining());
    }

    /** Each choice's chunks as they come, interleaved with the others', then the end once every choice has ended. */
    @Test
    void choices_areWrittenAsTheirChunksCome_thenTheEnd() throws Exception {
        StreamWriter<HttpData> first = StreamMessage.streaming();
        StreamWriter<HttpData> second = StreamMessage.streaming();
        StreamMessage<HttpData> answer =
                ChoiceStreams.interleaved(List.of(first, second), () -> HttpData.ofUtf8("end"), loop);
        CompletableFuture<List<HttpData>> written = answer.collect();
        loop.submit(() -> {
                    first.tryWrite(HttpData.ofUtf8("a1 "));
                    second.tryWrite(HttpData.ofUtf8("b1 "));
                    first.tryWrite(HttpData.ofUtf8("a2 "));
                    first.close();
                })
                .get();
        loop.submit(() -> {}).get();
        assertThat(written).isNotDone(); // the second choice has not ended
        loop.submit(() -> {
                    second.tryWrite(HttpData.ofUtf8("b2 "));
                    second.close();
                })
                .get();
        assertThat(text(written.get(5, TimeUnit.SECONDS))).isEqualTo("a1 b1 a2 b2 end");
    }

    /** A choice that fails ends the answer with OpenAI's streamed error, and the choices after it are given up. */
    @Test
    void aFailedChoice_endsTheAnswerWithAnError_andGivesTheOthersUp() {
        StreamWriter<HttpData> first = StreamMessage.streaming();
        StreamWriter<HttpData> second = StreamMessage.streaming();
        first.abort(new UpstreamException(FailureKind.UNAVAILABLE, "connection reset"));
        StreamMessage<HttpData> answer =
                ChoiceStreams.interleaved(List.of(first, second), () -> HttpData.ofUtf8("end"), loop);
        assertThat(text(answer.collect().join()))
                .startsWith("data: {\"error\"")
                .contains("The model stream failed after it started: connection reset.")
                .doesNotContain("end");
        assertThat(second.whenComplete()).failsWithin(java.time.Duration.ofSeconds(5));
    }

    /** An answer given up (the caller left) gives up every choice, the ones not yet read too. */
    @Test
    void theAnswerGivenUp_givesEveryChoiceUp() {
        StreamWriter<HttpData> first = StreamMessage.streaming();
        StreamWriter<HttpData> second = StreamMessage.streaming();
        StreamMessage<HttpData> answer =
                ChoiceStreams.interleaved(List.of(first, second), () -> HttpData.ofUtf8("end"), loop);
        answer.abort();
        assertThat(first.whenComplete()).failsWithin(java.time.Duration.ofSeconds(5));
        assertThat(second.whenComplete()).failsWithin(java.time.Duration.ofSeconds(5));
    }
}
