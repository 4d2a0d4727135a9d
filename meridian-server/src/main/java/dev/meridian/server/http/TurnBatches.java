package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Relays a streamed answer's chunks, joining the chunks produced in one turn of the event loop into one. Armeria
 * writes a streamed body one chunk per socket write (it asks for the next chunk once the last one is written), so
 * a model server that sends twenty tokens in one packet cost twenty {@code send} calls and twenty trips through
 * the HTTP encoder; joined, they leave as one. A chunk waits at most until the end of the turn in which it was
 * produced, so tokens that arrive one by one are relayed as before. At most {@link #WINDOW} chunks are taken
 * ahead of the caller: a slow caller slows the source as before.
 */
public final class TurnBatches {
    /** Chunks requested from the source ahead of what the caller has taken. */
    static final int WINDOW = 64;

    private TurnBatches() {}

    /** {@code chunks}, joined per turn of {@code loop} (the request's event loop, where the answer is written). */
    public static StreamMessage<HttpData> of(StreamMessage<HttpData> chunks, EventExecutor loop) {
        StreamWriter<HttpData> out = StreamMessage.streaming();
        chunks.subscribe(new Joiner(out, loop), loop);
        return out;
    }

    /** Runs on {@code loop} only (the source signals there, the flush task is scheduled there). */
    private static final class Joiner implements Subscriber<HttpData> {
        private final StreamWriter<HttpData> out;
        private final EventExecutor loop;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private int pendingChunks;
        private boolean scheduled;
        private Subscription source;

        Joiner(StreamWriter<HttpData> out, EventExecutor loop) {
            this.out = out;
            this.loop = loop;
        }

        @Override
        public void onSubscribe(Subscription s) {
            source = s;
            out.whenComplete().exceptionally(cause -> {
                s.cancel(); // the caller went away: stop the source (and the upstream call behind it)
                return null;
            });
            s.request(WINDOW);
        }

        @Override
        public void onNext(HttpData chunk) {
            pending.writeBytes(chunk.array());
            chunk.close(); // copied: a pooled chunk's buffer goes back now
            pendingChunks++;
            if (!scheduled) {
                scheduled = true;
                loop.execute(this::emit);
            }
        }

        private void emit() {
            scheduled = false;
            if (pendingChunks == 0) {
                return;
            }
            int taken = pendingChunks;
            pendingChunks = 0;
            HttpData joined = HttpData.wrap(pending.toByteArray());
            pending.reset();
            if (out.tryWrite(joined)) {
                out.whenConsumed().thenRun(() -> source.request(taken));
            }
        }

        @Override
        public void onError(Throwable cause) {
            emit();
            out.close(cause);
        }

        @Override
        public void onComplete() {
            emit();
            out.close();
        }
    }
}
