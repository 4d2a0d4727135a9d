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
 * Several choices' chunk streams written as one answer as their chunks come, interleaved as OpenAI's are (each chunk
 * names its choice's index), then {@code end} once every choice has ended: a choice that fails ends the answer with
 * OpenAI's streamed error ({@link ChatCompletionChunks#failure}) and gives the others up, and the answer given up
 * (the caller left) gives every choice up. Every choice is read on one event loop, so the answer has one writer.
 */
final class ChoiceStreams {
    private ChoiceStreams() {}

    static StreamMessage<HttpData> interleaved(
            List<StreamMessage<HttpData>> choices, Supplier<HttpData> end, EventExecutor loop) {
        StreamWriter<HttpData> out = StreamMessage.streaming();
        out.whenComplete().exceptionally(gone -> {
            choices.forEach(StreamMessage::abort);
            return null;
        });
        Answer answer = new Answer(choices, out, end);
        choices.forEach(choice -> choice.subscribe(answer.reader(), loop));
        return out;
    }

    /** The answer's state, touched on the one loop only. */
    private static final class Answer {
        private final List<StreamMessage<HttpData>> choices;
        private final StreamWriter<HttpData> out;
        private final Supplier<HttpData> end;
        private int open;
        private boolean failed;

        Answer(List<StreamMessage<HttpData>> choices, StreamWriter<HttpData> out, Supplier<HttpData> end) {
            this.choices = choices;
            this.out = out;
            this.end = end;
            this.open = choices.size();
        }

        Subscriber<HttpData> reader() {
            return new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE); // one answer's chunks: bounded by its output limit
                }

                @Override
                public void onNext(HttpData chunk) {
                    if (!failed) {
                        out.tryWrite(chunk);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    if (failed) {
                        return;
                    }
                    failed = true;
                    out.tryWrite(ChatCompletionChunks.failure(failure));
                    out.close();
                    choices.forEach(StreamMessage::abort);
                }

                @Override
                public void onComplete() {
                    if (--open == 0 && !failed) {
                        out.tryWrite(end.get());
                        out.close();
                    }
                }
            };
        }
    }
}
