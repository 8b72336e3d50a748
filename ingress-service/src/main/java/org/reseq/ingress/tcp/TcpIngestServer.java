package org.reseq.ingress.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Binds one Netty server per configured listener and takes them down at shutdown. Bytes are
 * framed on the event loops; each connection's {@link ConnectionHandler} runs on one executor of
 * a separate group of virtual threads, so a slow store (the back-pressure check reads it) never
 * stalls the event loops. With TLS configured ({@link TcpTls}), each connection is decrypted
 * on its event loop before framing.
 *
 * <p>Threads: {@link #start()} and {@link #stop()} are called by the Spring lifecycle, one at a
 * time; {@link #boundPorts()} may be read from any thread once started.
 */
final class TcpIngestServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

    private final TcpIngestProperties properties;
    private final FrameAcceptor acceptor;
    private final TcpTls tls;
    private final List<Channel> servers = new ArrayList<>();
    private volatile Map<Integer, Integer> boundPorts = Map.of();
    private EventLoopGroup bosses;
    private EventLoopGroup workers;
    private EventExecutorGroup handlers;
    private volatile boolean running;

    TcpIngestServer(TcpIngestProperties properties, FrameAcceptor acceptor, TcpTls tls) {
        this.properties = properties;
        this.acceptor = acceptor;
        this.tls = tls;
    }

    @Override
    public void start() {
        if (properties.listeners().isEmpty()) {
            running = true;
            return;
        }
        bosses = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        handlers = new DefaultEventExecutorGroup(properties.handlerThreads(),
                Thread.ofVirtual().name("tcp-ingest-", 0).factory());
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        try {
            for (int i = 0; i < properties.listeners().size(); i++) {
                TcpIngestProperties.Listener listener = properties.listeners().get(i);
                Channel server = bootstrap(listener)
                        .bind(listener.host(), listener.port()).syncUninterruptibly().channel();
                servers.add(server);
                int port = ((InetSocketAddress) server.localAddress()).getPort();
                ports.put(i, port);
                log.info("TCP ingest for channel {} ({}{}) listening on {}:{}", listener.channel(),
                        listener.framing(), tls.enabled() ? ", TLS" : "", listener.host(), port);
            }
        } catch (RuntimeException e) {
            shutDown();
            throw e;
        }
        boundPorts = Map.copyOf(ports);
        running = true;
    }

    private ServerBootstrap bootstrap(TcpIngestProperties.Listener listener) {
        int maxPayload = (int) acceptor.maxPayloadBytes();
        return new ServerBootstrap()
                .group(bosses, workers)
                .channel(NioServerSocketChannel.class)
                // A sender that shuts down its output still gets the replies to what it sent.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.AUTO_READ, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        tls.addTo(channel);
                        channel.pipeline().addLast("framer", switch (listener.framing()) {
                            // failFast=false: an over-long line is discarded up to its end, then reported.
                            case LINE -> new LineBasedFrameDecoder(maxPayload, true, false);
                            case LENGTH_PREFIXED -> new LengthPrefixedDecoder(maxPayload);
                        });
                        channel.pipeline().addLast(handlers, "ingest", new ConnectionHandler(listener.channel(),
                                listener.framing(), acceptor, properties.maxPendingReplies()));
                    }
                });
    }

    /** The port each listener is bound to, by its index in the configuration. */
    Map<Integer, Integer> boundPorts() {
        return boundPorts;
    }

    @Override
    public void stop() {
        shutDown();
        running = false;
    }

    private void shutDown() {
        for (Channel server : servers) {
            server.close().syncUninterruptibly();
        }
        servers.clear();
        // Quiet period 0: connections are cut now; replies not yet written are lost, commits are not.
        for (EventExecutorGroup group : new EventExecutorGroup[] {bosses, workers, handlers}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        bosses = null;
        workers = null;
        handlers = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
