package dev.meridian.server.http;

import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hears a caller leave while its request is served, so that the gateway stops working (and sending its prompt to
 * other regions) for nobody. Two signals, whichever comes first: the exchange's log, which completes before the
 * answer only when the caller reset its HTTP/2 stream or Armeria failed its request for a closed connection (which
 * it does a second after the close); and the connection's own close, heard at once, over HTTP/1.1 as over HTTP/2.
 */
public final class CallerDeparture {
    private CallerDeparture() {}

    /**
     * Completes when {@code ctx}'s caller has gone, or when its exchange ends (then nobody is listening): the
     * connection's close listener is removed with it, so a kept-alive connection does not gather one per request.
     */
    public static CompletionStage<?> of(ServiceRequestContext ctx) {
        CompletableFuture<RequestLog> ended = ctx.log().whenComplete();
        Channel channel = ctx.log().isAvailable(RequestLogProperty.SESSION)
                ? ctx.log().partial().channel()
                : null;
        if (channel == null) {
            return ended;
        }
        CompletableFuture<Void> gone = new CompletableFuture<>();
        ChannelFutureListener closed = future -> gone.complete(null);
        channel.closeFuture().addListener(closed);
        ended.thenRun(() -> {
            channel.closeFuture().removeListener(closed);
            gone.complete(null);
        });
        return gone;
    }
}
