package dev.meridian.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import dev.meridian.server.http.SameLoopScheduler;
import dev.meridian.server.http.UpstreamFlushes;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The HTTP stack's floor: a reverse proxy built from the same Armeria server and client the gateway uses, configured
 * as the gateway configures them (upstream calls on the request's own event loop, upstream writes shared per loop
 * turn), doing nothing else: no authentication, no JSON, no routing, no audit. What Meridian adds beyond what this
 * proxy adds is Meridian's own work; what this proxy adds beyond nginx is the framework's.
 *
 * <p>Like the gateway's OpenAI surface without {@code stream}, it reads the whole request, then the whole upstream
 * answer, then answers; with {@code stream} it relays both as they come. Started in its own JVM by the proxy
 * benchmark ({@code -Dmeridian.bench.targets=...,armeria-proxy}).
 *
 * <p>Usage: {@code ArmeriaProxy UPSTREAM_PORT [stream]}; prints {@code armeria proxy listening on
 * http://127.0.0.1:PORT} once it accepts requests.
 */
public final class ArmeriaProxy {
    private ArmeriaProxy() {}

    public static void main(String[] args) {
        int upstreamPort = Integer.parseInt(args[0]);
        boolean stream = args.length > 1 && args[1].equals("stream");
        ClientFactory factory = ClientFactory.builder()
                .eventLoopSchedulerFactory(SameLoopScheduler::new)
                .option(ClientFactoryOptions.CHANNEL_PIPELINE_CUSTOMIZER, new UpstreamFlushes())
                .build();
        WebClient upstream = WebClient.builder("http://127.0.0.1:" + upstreamPort)
                .factory(factory)
                .build();
        Server server = Server.builder()
                .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .disableServerHeader()
                .serviceUnder(
                        "/",
                        (ctx, req) -> stream
                                ? upstream.execute(req)
                                : HttpResponse.of(req.aggregate()
                                        .thenCompose(whole -> upstream.execute(whole.toHttpRequest())
                                                .aggregate())
                                        .thenApply(AggregatedHttpResponse::toHttpResponse)))
                .build();
        server.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop().join();
            factory.close();
        }));
        System.out.println("armeria proxy listening on http://127.0.0.1:" + server.activeLocalPort());
    }
}
