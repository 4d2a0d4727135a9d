package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.common.SessionProtocol;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SameLoopSchedulerTest {
    private final EventLoopGroup group = new NioEventLoopGroup(3);
    private final SameLoopScheduler scheduler = new SameLoopScheduler(group);
    private final Endpoint upstream = Endpoint.of("127.0.0.1", 8000);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void aCallMadeOnAnEventLoopStaysOnThatLoop() throws Exception {
        for (int i = 0; i < 3; i++) {
            EventLoop caller = group.next();
            CompletableFuture<EventLoop> chosen = new CompletableFuture<>();
            caller.execute(() -> chosen.complete(
                    scheduler.acquire(SessionProtocol.HTTP, upstream, upstream).get()));

            assertThat(chosen.get(5, TimeUnit.SECONDS)).isSameAs(caller);
        }
    }

    @Test
    void aCallMadeElsewhereGetsOneOfTheGroupsLoops() {
        EventLoop chosen =
                scheduler.acquire(SessionProtocol.HTTP, upstream, upstream).get();

        assertThat(group).contains(chosen);
    }
}
