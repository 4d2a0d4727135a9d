package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.junit.jupiter.api.Test;

class UpstreamFlushesTest {

    // One write at a time, through the pipeline: EmbeddedChannel runs the loop's pending tasks (the deferred flush
    // among them) whenever a write reaches the socket end, and after its own writeAndFlush.

    /** A connection set up the way Armeria's client sets one up: its flush handler, then the customizer's swap. */
    private static EmbeddedChannel upstreamConnection(boolean customized) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        if (customized) {
            new UpstreamFlushes().accept(ch.pipeline());
        }
        ch.pipeline().addLast(new FlushConsolidationHandler());
        ch.register();
        return ch;
    }

    @Test
    void aFlushOutsideARead_waitsForTheEndOfTheLoopsTurn() throws Exception {
        EmbeddedChannel ch = upstreamConnection(true);
        ch.pipeline().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        assertThat(ch.outboundMessages()).isEmpty();
        ch.runPendingTasks();
        assertThat(ch.outboundMessages()).hasSize(1);
        assertThat(ch.pipeline().names()).noneMatch(n -> n.startsWith("UpstreamFlushes"));
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutIt_everyFlushGoesOutAtOnce() throws Exception {
        EmbeddedChannel ch = upstreamConnection(false);
        ch.pipeline().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        assertThat(ch.outboundMessages()).hasSize(1);
        ch.finishAndReleaseAll();
    }
}
