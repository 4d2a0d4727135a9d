package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.function.Consumer;

/**
 * Lets an answer that is written in one go leave in one socket write. Armeria flushes a response's headers and its
 * body separately, so an HTTP/1.1 answer cost two {@code send} calls; for an answer written whole (an exchange
 * whose response is not streamed: Bedrock's Converse and InvokeModel), deferring those flushes to the end of the
 * event loop's turn sends both at once. Measured on Converse: the gateway's socket writes per read fell from 1.52
 * to 0.95, and its CPU per request at saturation by 10–12 % in both orders of an A/B; below saturation no latency
 * change the benchmark resolves (docs/benchmarks.md, "Eighth pass").
 *
 * <p>An exchange that may stream its answer (OpenAI's chat completions, which learns from the body whether it
 * streams) cannot be deferred that way: Armeria asks for such an answer's body only once the headers' write has
 * completed, and a write completes when it is flushed. So when the service says that the answer it built is whole
 * ({@link #answeredWhole}), on an HTTP/1 connection the headers' write is reported complete as soon as it is
 * queued, and their flushes wait for the body's first write (at most until the loop's iteration ends): the answer
 * leaves in one write (docs/benchmarks.md, "Sixteenth pass"). Streamed answers flush their headers at once, as
 * before. Only the headers' write is reported early, so the body keeps its backpressure; a failed headers' write
 * closes the connection.
 *
 * <p>Three parts: {@link #pipeline()} installs a per-connection handler on the server's connections,
 * {@link #decorator()} tells the handler of the connection being read which kind of answer the request it is
 * serving will get, and {@link #answeredWhole} marks the request (a context attribute, which the handler reads when
 * the answer is written). Armeria exposes no request's channel, but it calls services while the connection's
 * handler is passing the request on, on the same thread. A request served any other way finds no handler and leaves its
 * connection's mode as it was (streamed, unless an earlier request set it), so the worst a mismatch can do is move
 * a flush by one turn of the loop; {@code AnswerFlushesTest} runs a real server to catch Armeria changing this.
 */
public final class AnswerFlushes {
    /** As Netty's {@code FlushConsolidationHandler}: a flush is forced after this many deferred ones. */
    private static final int MAX_DEFERRED_FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    private static final FastThreadLocal<Connection> READING = new FastThreadLocal<>();
    private static final AttributeKey<Boolean> WHOLE = AttributeKey.valueOf(AnswerFlushes.class, "WHOLE");

    private AnswerFlushes() {}

    /** The server's child-channel pipeline customizer. */
    public static Consumer<ChannelPipeline> pipeline() {
        return p -> p.addFirst(new Connection());
    }

    /**
     * Says that the answer {@code ctx}'s service built is whole (headers and a body of known length), though its
     * exchange may stream: its headers then wait for its body instead of leaving alone. Any thread.
     */
    public static void answeredWhole(ServiceRequestContext ctx) {
        ctx.setAttr(WHOLE, Boolean.TRUE);
    }

    /** The server-wide decorator choosing, per request, whether its connection defers flushes. */
    public static DecoratingHttpServiceFunction decorator() {
        return AnswerFlushes::serve;
    }

    private static HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
            throws Exception {
        Connection connection = READING.get();
        if (connection != null) {
            boolean streamed = ctx.exchangeType().isResponseStreaming();
            connection.deferFlushes = !streamed;
            connection.answering = streamed && !ctx.sessionProtocol().isMultiplex() ? ctx : null;
        }
        return delegate.serve(ctx, req);
    }

    /** One server connection's flushes: passed on at once, or deferred to a task at the end of the loop's turn. */
    static final class Connection extends ChannelDuplexHandler {
        boolean deferFlushes;
        /**
         * The request whose answer may stream and is written next (HTTP/1 only: one answer at a time, so the next
         * write after reading such a request is its answer's headers, or a {@code 100 Continue} before them).
         */
        ServiceRequestContext answering;
        /** The headers just written wait for the body's first write: flushes until then are deferred. */
        private boolean headersWaiting;

        private int deferred;
        private boolean scheduled;
        private ChannelHandlerContext context;
        private final Runnable flushTask = this::flushDeferred;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Connection outer = READING.get();
            READING.set(this);
            try {
                ctx.fireChannelRead(msg);
            } finally {
                READING.set(outer);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ServiceRequestContext answer = answering;
            answering = null;
            if (answer == null || !answer.hasAttr(WHOLE)) {
                headersWaiting = false; // any other write ends the wait: held headers leave with their body
                ctx.write(msg, promise);
                return;
            }
            headersWaiting = true;
            ctx.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            promise.trySuccess(); // after the write, so that the body Armeria writes now follows the headers
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (headersWaiting) {
                deferFlush(ctx); // the headers' own flushes: wait for the body, at most until the turn ends
            } else if (!deferFlushes || ++deferred >= MAX_DEFERRED_FLUSHES) {
                flushNow(ctx);
            } else {
                deferFlush(ctx);
            }
        }

        private void deferFlush(ChannelHandlerContext ctx) {
            deferred = Math.max(deferred, 1);
            if (!scheduled) {
                scheduled = true;
                if (ctx.channel().eventLoop() instanceof SingleThreadEventLoop loop) {
                    loop.executeAfterEventLoopIteration(flushTask); // after the tasks this turn runs, too
                } else {
                    ctx.channel().eventLoop().execute(flushTask);
                }
            }
        }

        private void flushDeferred() {
            scheduled = false;
            if (deferred > 0) {
                flushNow(context);
            }
        }

        private void flushNow(ChannelHandlerContext ctx) {
            headersWaiting = false;
            deferred = 0;
            ctx.flush();
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            flushPending(ctx);
            ctx.close(promise);
        }

        @Override
        public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
            flushPending(ctx);
            ctx.disconnect(promise);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!ctx.channel().isWritable()) {
                flushPending(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            flushPending(ctx);
        }

        private void flushPending(ChannelHandlerContext ctx) {
            if (deferred > 0) {
                flushNow(ctx);
            }
        }
    }
}
