package dev.meridian.server.surface.openai;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.function.Supplier;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Several choices' chunk streams written one after another as one answer, then {@code end}: a choice that fails
 * ends the answer with OpenAI's streamed error ({@link ChatCompletionChunks#failure}), and the answer given up (the
 * caller left) gives every choice up.
 */
final class ChoiceStreams {
    private ChoiceStreams() {}

    static StreamMessage<HttpData> inTurn(
            List<StreamMessage<HttpData>> choices, Supplier<HttpData> end, EventExecutor loop) {
        StreamWriter<HttpData> out = StreamMessage.streaming();
        out.whenComplete().exceptionally(gone -> {
            choices.forEach(StreamMessage::abort);
            return null;
        });
        write(choices, 0, out, end, loop);
        return out;
    }

    private static void write(
            List<StreamMessage<HttpData>> choices,
            int i,
            StreamWriter<HttpData> out,
            Supplier<HttpData> end,
            EventExecutor loop) {
        if (i == choices.size()) {
            out.tryWrite(end.get());
            out.close();
            return;
        }
        choices.get(i)
                .subscribe(
                        new Subscriber<HttpData>() {
                            @Override
                            public void onSubscribe(Subscription s) {
                                s.request(Long.MAX_VALUE); // one answer's chunks: bounded by its output limit
                            }

                            @Override
                            public void onNext(HttpData chunk) {
                                out.tryWrite(chunk);
                            }

                            @Override
                            public void onError(Throwable failure) {
                                out.tryWrite(ChatCompletionChunks.failure(failure));
                                out.close();
                                choices.forEach(StreamMessage::abort);
                            }

                            @Override
                            public void onComplete() {
                                write(choices, i + 1, out, end, loop);
                            }
                        },
                        loop);
    }
}
