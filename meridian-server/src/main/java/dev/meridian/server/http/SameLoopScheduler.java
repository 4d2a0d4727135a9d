package dev.meridian.server.http;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.EventLoopScheduler;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.ReleasableHolder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/**
 * Runs an upstream call on the event loop of the request that makes it, so that proxying a request does not hand
 * work between threads: the server's request, the upstream connection and the answer stay on one loop.
 *
 * <p>Armeria's default scheduler gives each upstream endpoint one event loop, so every proxied request crossed to
 * it and back (two task hand-offs and wake-ups). With this scheduler each server loop keeps its own connections
 * to each upstream. Calls made off the group's loops (the metrics poller, tests) take the loops in turn.
 */
public final class SameLoopScheduler implements EventLoopScheduler {
    private final EventLoopGroup group;

    public SameLoopScheduler(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public ReleasableHolder<EventLoop> acquire(
            SessionProtocol protocol, EndpointGroup endpointGroup, Endpoint endpoint) {
        EventLoop loop = current();
        return new Held(loop != null ? loop : group.next());
    }

    private EventLoop current() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop() && executor instanceof EventLoop loop) {
                return loop;
            }
        }
        return null;
    }

    private record Held(EventLoop get) implements ReleasableHolder<EventLoop> {
        @Override
        public void release() {
            // nothing is counted per loop
        }
    }
}
