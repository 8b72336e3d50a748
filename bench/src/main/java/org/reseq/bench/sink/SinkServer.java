package org.reseq.bench.sink;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's HTTP server: every destination of a run delivers to {@code /sink/<name>} and
 * calls its transform at {@code /transform/<name>}, on keep-alive connections.
 *
 * <p>One server serves every run of an invocation: a run {@link #attach attaches} its
 * {@link Reception} for its destinations (their names are unique per run) and detaches it at the end.
 */
public final class SinkServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SinkServer.class);
    private static final int MAX_BODY = 2 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel server;
    private final String host;
    private final int port;
    private final Map<String, Reception> receptions;

    private SinkServer(EventLoopGroup group, Channel server, String host, Map<String, Reception> receptions) {
        this.group = group;
        this.server = server;
        this.host = host;
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
        this.receptions = receptions;
    }

    /**
     * Starts the server.
     *
     * @param host the address to listen on, which the stack must reach
     * @param port the port, 0 for any free one
     * @param threads event loops; 2 serve thousands of deliveries and transforms a second
     */
    public static SinkServer start(String host, int port, int threads, NettyTransport transport) {
        Map<String, Reception> receptions = new ConcurrentHashMap<>();
        SinkHandler handler = new SinkHandler(receptions);
        EventLoopGroup group = transport.group("bench-sink", threads);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new HttpObjectAggregator(MAX_BODY), handler);
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            SinkServer sink = new SinkServer(group, server, host, receptions);
            log.info("Sink listening at http://{}:{} ({})", host, sink.port, transport.name());
            return sink;
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** @return the URL the destination delivers to */
    public String sinkUrl(String destination) {
        return base() + SinkHandler.SINK + destination;
    }

    /** @return the URL of the destination's http transform */
    public String transformUrl(String destination) {
        return base() + SinkHandler.TRANSFORM + destination;
    }

    /** Routes the run's destinations to its reception. */
    public void attach(Reception reception) {
        for (String destination : reception.destinations()) {
            receptions.put(destination, reception);
        }
    }

    /** Stops recording for the run's destinations. */
    public void detach(Reception reception) {
        for (String destination : reception.destinations()) {
            receptions.remove(destination, reception);
        }
    }

    private String base() {
        String address = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + address + ":" + port;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
