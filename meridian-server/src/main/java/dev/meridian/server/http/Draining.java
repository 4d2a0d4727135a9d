package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerListener;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Tells clients to move on while the server drains. Between a stop (SIGTERM in a rolling deploy) and the end of
 * {@code server.shutdownGracePeriod}, requests that still arrive are served, but each answer closes its connection
 * ({@code Connection: close} on HTTP/1.1, GOAWAY on HTTP/2), so a client reconnects, through its load balancer, to
 * a gateway that is staying, instead of keeping this one busy until the grace period runs out.
 */
public final class Draining implements DecoratingHttpServiceFunction {
    private volatile boolean stopping;

    /** Registers with the server so that draining starts when the server begins to stop. */
    public ServerListener listener() {
        return ServerListener.builder().whenStopping(server -> stopping = true).build();
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (stopping) {
            ctx.initiateConnectionShutdown();
        }
        return delegate.serve(ctx, req);
    }
}
