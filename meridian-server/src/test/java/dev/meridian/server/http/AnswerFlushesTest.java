package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a flush never sent would hang a client
class AnswerFlushesTest {

    /**
     * Counts the flushes that reach the socket end of a pipeline with bytes written since the last one (Netty makes
     * no system call for an empty buffer, which Armeria writes to end an answer whose length it announced).
     */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes;
        private boolean written;

        FlushCounter(AtomicInteger flushes) {
            this.flushes = flushes;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            written |= !(msg instanceof ByteBuf b) || b.isReadable();
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (written) {
                written = false;
                flushes.incrementAndGet();
            }
            ctx.flush();
        }
    }

    /**
     * Answers after a later turn of the loop, as the gateway does once the upstream has answered, and passes the
     * answer on through a split as its audit decorator does (the body then reaches Armeria in a later task).
     */
    private static final class LaterAnswers implements HttpService {
        private final ExchangeType exchangeType;

        private final boolean saysWhole;

        LaterAnswers(ExchangeType exchangeType, boolean saysWhole) {
            this.exchangeType = exchangeType;
            this.saysWhole = saysWhole;
        }

        @Override
        public ExchangeType exchangeType(RoutingContext routing) {
            return exchangeType;
        }

        @Override
        public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
            CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
            ctx.eventLoop()
                    .schedule(
                            () -> {
                                if (saysWhole) {
                                    AnswerFlushes.answeredWhole(ctx);
                                }
                                answer.complete(HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"ok\":true}"));
                            },
                            1,
                            TimeUnit.MILLISECONDS);
            SplitHttpResponse split = HttpResponse.of(answer).split();
            return HttpResponse.of(split.headers().thenApply(headers -> HttpResponse.of(headers, split.body())));
        }
    }

    /**
     * The answer to {@code /slow}: its service says it is whole, wrongly, for its body comes seconds after its
     * headers.
     */
    private static HttpResponse slowBody(ServiceRequestContext ctx, HttpRequest req) {
        AnswerFlushes.answeredWhole(ctx);
        HttpResponseWriter res = HttpResponse.streaming();
        res.write(ResponseHeaders.of(HttpStatus.OK));
        ctx.eventLoop()
                .schedule(
                        () -> {
                            res.write(HttpData.ofUtf8("late"));
                            res.close();
                        },
                        3,
                        TimeUnit.SECONDS);
        return res;
    }

    /**
     * A started server answering {@code /whole}, {@code /streamed}, {@code /streamed-said-whole} and {@code /slow}
     * later; with {@code installed}, AnswerFlushes is on its connections, and {@code onEachConnection} runs on each
     * new connection's pipeline after it.
     */
    private static Server started(boolean installed, Consumer<ChannelPipeline> onEachConnection) {
        var builder = Server.builder()
                .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .service("/whole", new LaterAnswers(ExchangeType.REQUEST_STREAMING, false))
                .service("/streamed", new LaterAnswers(ExchangeType.BIDI_STREAMING, false))
                .service("/streamed-said-whole", new LaterAnswers(ExchangeType.BIDI_STREAMING, true))
                .service("/slow", AnswerFlushesTest::slowBody);
        if (installed) {
            builder.childChannelPipelineCustomizer(AnswerFlushes.pipeline().andThen(onEachConnection))
                    .decorator(AnswerFlushes.decorator());
        } else {
            builder.childChannelPipelineCustomizer(onEachConnection);
        }
        Server server = builder.build();
        server.start().join();
        return server;
    }

    private static String get(HttpClient client, Server server, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.activeLocalPort() + path);
        return client.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString())
                .body();
    }

    private static HttpClient http1() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Flushes reaching the socket per answer, over ten requests on one kept-alive connection. */
    private static double flushesPerAnswer(String path, boolean installed) throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        Server server = started(installed, p -> p.addFirst(new FlushCounter(flushes)));
        try (HttpClient client = http1()) {
            get(client, server, path); // connects
            flushes.set(0);
            int answers = 10;
            for (int i = 0; i < answers; i++) {
                assertThat(get(client, server, path)).isEqualTo("{\"ok\":true}");
            }
            return flushes.get() / (double) answers;
        } finally {
            server.stop().join();
        }
    }

    @Test
    void anAnswerWrittenWhole_leavesInOneWrite() throws Exception {
        // An occasional extra write (timing on loopback) is tolerated; deferral halves the count.
        assertThat(flushesPerAnswer("/whole", false)).isGreaterThanOrEqualTo(2.0);
        assertThat(flushesPerAnswer("/whole", true)).isCloseTo(1.0, within(0.2));
    }

    @Test
    void aWholeAnswerToAnExchangeThatMayStream_leavesInOneWrite() throws Exception {
        assertThat(flushesPerAnswer("/streamed-said-whole", false)).isGreaterThanOrEqualTo(2.0);
        assertThat(flushesPerAnswer("/streamed-said-whole", true)).isCloseTo(1.0, within(0.2));
        // unless the service says its answer is whole, the headers leave at once, as a stream's must
        assertThat(flushesPerAnswer("/streamed", true)).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void headersWaitingForABody_waitNoLongerThanTheLoopsIteration() throws Exception {
        Server server = started(true, p -> {});
        try (HttpClient client = http1()) {
            URI uri = URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/slow");
            long start = System.nanoTime();
            var answer =
                    client.sendAsync(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofInputStream());
            var headers = answer.get(10, TimeUnit.SECONDS); // completes with the headers, before the body
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
            try (var body = headers.body()) {
                assertThat(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("late");
            }
        } finally {
            server.stop().join();
        }
    }

    @Test
    void headersReportedWritten_areFlushedWithTheBody_orAtTheEndOfTheTurn() {
        AtomicInteger flushes = new AtomicInteger();
        AnswerFlushes.Connection connection = new AnswerFlushes.Connection();
        EmbeddedChannel ch = new EmbeddedChannel(new FlushCounter(flushes), connection);
        ChannelPipeline p = ch.pipeline(); // its own writeAndFlush, unlike the channel's, runs no pending tasks

        ServiceRequestContext whole = ServiceRequestContext.of(HttpRequest.of(HttpMethod.POST, "/"));
        AnswerFlushes.answeredWhole(whole);
        connection.answering = whole;
        var headers = p.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        p.flush(); // Armeria flushes the headers twice
        assertThat(headers.isSuccess()).isTrue(); // reported written though no flush reached the socket
        assertThat(flushes).hasValue(0);
        p.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {2})); // the body: both leave together
        assertThat(flushes).hasValue(1);
        assertThat(ch.outboundMessages()).hasSize(2);

        connection.answering = whole;
        p.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {3})); // no body yet: flushed when the turn ends
        assertThat(flushes).hasValue(1);
        ch.runPendingTasks();
        assertThat(flushes).hasValue(2);
        p.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {4})); // later writes are not held
        assertThat(flushes).hasValue(3);
        ch.finishAndReleaseAll();
    }

    @Test
    void eachRequestSetsItsConnectionsMode_streamedAnswersAreNotDeferred() throws Exception {
        List<AnswerFlushes.Connection> connections = new CopyOnWriteArrayList<>();
        Server server = started(true, p -> connections.add(p.get(AnswerFlushes.Connection.class)));
        try (HttpClient client = http1()) {
            List<Boolean> modes = new ArrayList<>();
            for (String path : List.of("/streamed", "/whole", "/streamed", "/whole")) {
                get(client, server, path);
                assertThat(connections).hasSize(1); // one kept-alive connection
                modes.add(connections.get(0).deferFlushes);
            }
            assertThat(modes).containsExactly(false, true, false, true);
        } finally {
            server.stop().join();
        }
    }

    @Test
    void pendingFlushesGoOutBeforeTheConnectionCloses() {
        AtomicInteger flushes = new AtomicInteger();
        AnswerFlushes.Connection connection = new AnswerFlushes.Connection();
        EmbeddedChannel ch = new EmbeddedChannel(new FlushCounter(flushes), connection);
        connection.deferFlushes = true;
        ch.write(Unpooled.wrappedBuffer(new byte[] {1}));
        ch.pipeline().flush();
        assertThat(flushes).hasValue(0);
        ch.close();
        assertThat(flushes).hasValue(1);
        assertThat(ch.outboundMessages()).hasSize(1);
        ch.finishAndReleaseAll();
    }
}
