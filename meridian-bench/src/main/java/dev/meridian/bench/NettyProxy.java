package dev.meridian.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A reverse proxy written directly on Netty, the library under Armeria: what a gateway without a framework's
 * request model could reach. HTTP/1.1 on both sides; each caller's connection gets its own upstream connection on
 * the same event loop (opened when the caller connects), and each request and answer is read whole, then written
 * in one flush. No routing, no headers rewritten, no streaming. It exists to tell the framework's share of the
 * gateway's overhead from what any JVM proxy pays on this machine ({@code -Dmeridian.bench.targets=...,netty-proxy}).
 *
 * <p>Usage: {@code NettyProxy UPSTREAM_PORT}; prints {@code netty proxy listening on http://127.0.0.1:PORT}.
 */
public final class NettyProxy {
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private NettyProxy() {}

    public static void main(String[] args) throws InterruptedException {
        InetSocketAddress upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        // as many loops as Armeria's default (twice the cores), so the two floors differ in the stack alone
        EventLoopGroup loops =
                new MultiThreadIoEventLoopGroup(2 * Runtime.getRuntime().availableProcessors(), io);
        Channel server = new ServerBootstrap()
                .group(loops)
                .channel(serverType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(wholeMessages(HttpServerCodec::new, () -> new Front(upstream, clientType)))
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync()
                .channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().syncUninterruptibly();
            loops.shutdownGracefully().syncUninterruptibly();
        }));
        System.out.println(
                "netty proxy listening on http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    /**
     * A channel's pipeline for one side of the proxy: the side's HTTP {@code codec}, an aggregator making each
     * request or answer one whole message, then the {@code relay} handing it to the other side (fresh handlers for
     * every channel).
     */
    private static ChannelInitializer<Channel> wholeMessages(
            Supplier<ChannelHandler> codec, Supplier<ChannelHandler> relay) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(codec.get())
                        .addLast(new HttpObjectAggregator(MAX_MESSAGE_BYTES))
                        .addLast(relay.get());
            }
        };
    }

    /** A caller's connection: connects its upstream first, then relays each whole request to it. */
    private static final class Front extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress upstreamAddress;
        private final Class<? extends Channel> clientType;
        private Channel upstream;

        Front(InetSocketAddress upstreamAddress, Class<? extends Channel> clientType) {
            this.upstreamAddress = upstreamAddress;
            this.clientType = clientType;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel caller = ctx.channel();
            caller.config().setAutoRead(false);
            new Bootstrap()
                    .group(caller.eventLoop())
                    .channel(clientType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(wholeMessages(HttpClientCodec::new, () -> new Back(caller)))
                    .connect(upstreamAddress)
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            upstream = connected.channel();
                            caller.config().setAutoRead(true);
                        } else {
                            caller.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (upstream == null || !upstream.isActive()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            upstream.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The upstream side of one caller's connection: relays each whole answer back to that caller. */
    private static final class Back extends ChannelInboundHandlerAdapter {
        private final Channel caller;

        Back(Channel caller) {
            this.caller = caller;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            caller.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            caller.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
