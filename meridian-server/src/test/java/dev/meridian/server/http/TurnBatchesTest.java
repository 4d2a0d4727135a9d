package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnBatchesTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void run(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static HttpData chunk(String s) {
        return HttpData.ofUtf8(s);
    }

    private static List<String> collect(StreamMessage<HttpData> joined) throws Exception {
        return joined.collect().get(5, TimeUnit.SECONDS).stream()
                .map(d -> new String(d.array(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Tokens that arrive together (one upstream packet) leave together: one write instead of three. */
    @Test
    void chunksOfOneTurn_leaveAsOne() throws Exception {
        StreamWriter<HttpData> source = StreamMessage.streaming();
        StreamMessage<HttpData> joined = TurnBatches.of(source, loop);
        loop.submit(() -> {
                    source.write(chunk("a"));
                    source.write(chunk("b"));
                    source.write(chunk("c"));
                    source.close();
                })
                .get();
        assertThat(collect(joined)).containsExactly("abc");
    }

    /** Tokens that arrive one by one are relayed one by one, none held back for the next. */
    @Test
    void chunksOfSeparateTurns_leaveSeparately() throws Exception {
        StreamWriter<HttpData> source = StreamMessage.streaming();
        StreamMessage<HttpData> joined = TurnBatches.of(source, loop);
        var collected = joined.collect();
        run(() -> source.write(chunk("a")));
        run(() -> {}); // the turn ends: "a" is out
        run(() -> source.write(chunk("b")));
        run(source::close);
        assertThat(collected.get(5, TimeUnit.SECONDS).stream().map(d -> new String(d.array(), StandardCharsets.UTF_8)))
                .containsExactly("a", "b");
    }

    /** An error ends the stream after what came before it; nothing is lost. */
    @Test
    void anError_endsTheStreamAfterThePendingChunks() throws Exception {
        StreamWriter<HttpData> source = StreamMessage.streaming();
        StreamMessage<HttpData> joined = TurnBatches.of(source, loop);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        joined.subscribe(
                new org.reactivestreams.Subscriber<HttpData>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(HttpData d) {
                        seen.add(new String(d.array(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onError(Throwable t) {
                        seen.add("error: " + t.getMessage());
                    }

                    @Override
                    public void onComplete() {}
                },
                loop);
        loop.submit(() -> {
                    source.write(chunk("a"));
                    source.close(new IllegalStateException("upstream reset"));
                })
                .get();
        joined.whenComplete().handle((ok, e) -> null).get(5, TimeUnit.SECONDS);
        assertThat(seen).containsExactly("a", "error: upstream reset");
    }

    /** A caller that goes away stops the source, so the upstream call behind it is cancelled. */
    @Test
    void theCallerLeaving_cancelsTheSource() throws Exception {
        StreamWriter<HttpData> source = StreamMessage.streaming();
        StreamMessage<HttpData> joined = TurnBatches.of(source, loop);
        joined.abort();
        source.whenComplete().handle((ok, e) -> null).get(5, TimeUnit.SECONDS);
        assertThat(source.isOpen()).isFalse();
    }

    /** At most WINDOW chunks are taken ahead of a caller that takes nothing. */
    @Test
    void aCallerThatTakesNothing_holdsTheSourceBackAtTheWindow() throws Exception {
        StreamWriter<HttpData> source = StreamMessage.streaming();
        TurnBatches.of(source, loop); // nobody subscribes: nothing is consumed
        int[] accepted = {0};
        for (int i = 0; i < TurnBatches.WINDOW * 3; i++) {
            loop.submit(() -> {
                        if (source.tryWrite(chunk("x"))) {
                            accepted[0]++;
                        }
                    })
                    .get();
        }
        run(() -> {});
        assertThat(source.demand()).isZero();
    }
}
