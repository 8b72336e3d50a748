package org.reseq.bench.send;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.bench.sink.NettyTransport;
import org.reseq.bench.sink.TransformPayload;
import org.reseq.bench.stack.ApiKey;
import org.reseq.bench.workload.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a {@link SendPlan}'s messages to ingress over a fixed number of keep-alive connections,
 * each with one request outstanding, and reports every acknowledgement to an {@link AckListener}.
 *
 * <p>Unpaced workloads keep every connection busy (closed loop). Paced ones release message
 * {@code i} at {@link Workload#arrivalOffsetNanos(int)} after the start (open loop): a message
 * that finds no free connection waits, and its latency still counts from its due time.
 *
 * <p>A {@code 429} is retried after its {@code Retry-After}, a {@code 503} or a lost connection
 * after a short pause, always with the same {@code Idempotency-Key}, so a retry never stores a
 * second message. Any other answer fails the run. With batches ({@link SendPlan#batch()}) each
 * request carries several messages, each with its own key, and is retried as a whole.
 *
 * <p>Threads: one event loop owns every connection and all state below; only
 * {@link #acknowledged()}, {@link #stats()} and {@link #done()} are read from other threads.
 */
public final class Sender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final long NOT_SENT = Long.MIN_VALUE;
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);
    private static final int MAX_ANSWER = 1024 * 1024;
    private static final String AUTHORIZATION = ApiKey.authorization();

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String hostHeader;
    private final int connections;
    private final SendPlan plan;
    private final AckListener listener;
    private final long[] transformMillis;
    private final long[] firstSent;
    /** The messages of each request, by request number; one each unless batched. */
    private final List<int[]> requests;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong connectionLosses = new AtomicLong();
    private final long startNanos;

    // Owned by the event loop.
    private final ArrayDeque<Integer> retries = new ArrayDeque<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private int released;
    private int nextFresh;
    private volatile int acknowledged;

    private Sender(NettyTransport transport, URI ingress, int connections, SendPlan plan, AckListener listener) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive");
        }
        this.group = transport.group("bench-sender", 1);
        this.loop = group.next();
        this.connections = connections;
        this.plan = plan;
        this.listener = listener;
        this.transformMillis = plan.workload().transformMillis();
        this.firstSent = new long[plan.workload().messages()];
        this.requests = plan.requests();
        Arrays.fill(firstSent, NOT_SENT);
        this.startNanos = System.nanoTime();
        int port = ingress.getPort() > 0 ? ingress.getPort() : 80;
        this.hostHeader = ingress.getHost() + ":" + port;
        this.bootstrap = new Bootstrap().group(loop).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .remoteAddress(ingress.getHost(), port);
    }

    /**
     * Starts sending at once; the returned sender completes {@link #done()} when every message
     * is acknowledged, or fails it on an answer that a retry cannot fix.
     */
    public static Sender start(NettyTransport transport, URI ingress, int connections, SendPlan plan,
            AckListener listener) {
        Sender sender = new Sender(transport, ingress, connections, plan, listener);
        sender.loop.execute(sender::begin);
        return sender;
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** @return when sending began ({@link System#nanoTime()}): paced messages are due from then on */
    public long startNanos() {
        return startNanos;
    }

    /** @return messages acknowledged so far */
    public int acknowledged() {
        return acknowledged;
    }

    /** @return what had to be retried, for the run's notes; empty when nothing was */
    public String stats() {
        List<String> parts = new ArrayList<>();
        if (busy.get() > 0) {
            parts.add(busy.get() + " x 429");
        }
        if (unavailable.get() > 0) {
            parts.add(unavailable.get() + " x 503");
        }
        if (connectionLosses.get() > 0) {
            parts.add(connectionLosses.get() + " lost or refused connections");
        }
        return String.join(", ", parts);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Workload workload() {
        return plan.workload();
    }

    private void begin() {
        if (workload().paced()) {
            release(); // paced plans send one message per request: request i is message i
        } else {
            released = requests.size();
        }
        for (int i = 0; i < connections; i++) {
            connect();
        }
    }

    /** Releases every message now due, then wakes up when the next one is. */
    private void release() {
        long now = System.nanoTime();
        while (released < workload().messages() && startNanos + workload().arrivalOffsetNanos(released) <= now) {
            released++;
        }
        if (released < workload().messages()) {
            long wait = startNanos + workload().arrivalOffsetNanos(released) - now;
            loop.schedule(this::release, wait, TimeUnit.NANOSECONDS);
        }
        pump();
    }

    /** Gives waiting requests (retries first) to idle connections. */
    private void pump() {
        while (!idle.isEmpty() && !done.isDone()) {
            int request;
            if (!retries.isEmpty()) {
                request = retries.poll();
            } else if (nextFresh < released) {
                request = nextFresh++;
            } else {
                return;
            }
            idle.poll().send(request);
        }
    }

    private void connect() {
        if (done.isDone()) {
            return;
        }
        Connection connection = new Connection();
        bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER), connection);
            }
        }).connect().addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                connectionLosses.incrementAndGet();
                log.debug("cannot connect to ingress: {}", future.cause().toString());
                later(this::connect, RECONNECT_PAUSE);
            }
        });
    }

    private void retry(int request, Duration after) {
        later(() -> {
            retries.add(request);
            pump();
        }, after);
    }

    private void later(Runnable task, Duration after) {
        if (loop.isShuttingDown()) {
            return;
        }
        try {
            loop.schedule(task, after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the run is over
        }
    }

    private void answered(int request, FullHttpResponse response) {
        int status = response.status().code();
        switch (status) {
            case 202 -> acknowledge(request, response);
            case 429 -> {
                busy.incrementAndGet();
                retry(request, RetryAfter.of(response.headers().get(HttpHeaderNames.RETRY_AFTER)));
            }
            case 502, 503, 504 -> {
                unavailable.incrementAndGet();
                retry(request, RetryAfter.DEFAULT);
            }
            default -> done.completeExceptionally(new IllegalStateException("ingest of message "
                    + requests.get(request)[0] + " to " + plan.channel(requests.get(request)[0]) + " answered "
                    + status + ": " + response.content().toString(StandardCharsets.UTF_8)));
        }
    }

    private void acknowledge(int request, FullHttpResponse response) {
        long now = System.nanoTime();
        int[] indexes = requests.get(request);
        try {
            String body = response.content().toString(StandardCharsets.UTF_8);
            List<List<Assignment>> receipts = plan.batch() == 1 ? List.of(AckParser.assignments(body))
                    : AckParser.receipts(body);
            if (receipts.size() != indexes.length) {
                throw new IllegalStateException(receipts.size() + " receipts for " + indexes.length + " messages");
            }
            for (int i = 0; i < indexes.length; i++) {
                int index = indexes[i];
                long arrived = workload().paced() ? startNanos + workload().arrivalOffsetNanos(index)
                        : firstSent[index];
                listener.acknowledged(index, arrived, now, receipts.get(i));
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        acknowledged += indexes.length;
        if (acknowledged == workload().messages()) {
            done.complete(null);
        }
    }

    /** One keep-alive connection with at most one request outstanding. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        private static final int NONE = -1;

        private Channel channel;
        private int inFlight = NONE;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            idle.add(this);
            pump();
        }

        void send(int number) {
            inFlight = number;
            int[] indexes = requests.get(number);
            long now = System.nanoTime();
            for (int index : indexes) {
                if (firstSent[index] == NOT_SENT) {
                    firstSent[index] = now;
                }
            }
            int first = indexes[0];
            FullHttpRequest request;
            if (plan.batch() == 1) {
                ByteBuf body = ByteBufUtil.writeAscii(channel.alloc(), payload(first));
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                        "/api/v1/channels/" + plan.channel(first) + "/messages", body);
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .set("Idempotency-Key", plan.idempotencyKey(first));
            } else {
                ByteBuf body = ByteBufUtil.writeAscii(channel.alloc(), batchBody(indexes));
                request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                        "/api/v1/channels/" + plan.channel(first) + "/messages/batch", body);
                request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            request.headers()
                    .set(HttpHeaderNames.HOST, hostHeader)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
            if (AUTHORIZATION != null) {
                request.headers().set(HttpHeaderNames.AUTHORIZATION, AUTHORIZATION);
            }
            channel.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        private String payload(int index) {
            return TransformPayload.of(index, transformMillis[index], plan.workload().payloadBytes());
        }

        /** Items of the batch endpoint: each payload as text/plain bytes, with its own key. */
        private String batchBody(int[] indexes) {
            StringBuilder json = new StringBuilder(indexes.length * (plan.workload().payloadBytes() * 4 / 3 + 120));
            json.append('[');
            for (int i = 0; i < indexes.length; i++) {
                json.append(i == 0 ? "" : ",").append("{\"contentType\":\"text/plain\",\"bodyBase64\":\"")
                        .append(Base64.getEncoder().encodeToString(payload(indexes[i]).getBytes(StandardCharsets.US_ASCII)))
                        .append("\",\"idempotencyKey\":\"").append(plan.idempotencyKey(indexes[i])).append("\"}");
            }
            return json.append(']').toString();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            int index = inFlight;
            inFlight = NONE;
            if (index != NONE) {
                answered(index, response);
            }
            if (HttpUtil.isKeepAlive(response)) {
                idle.add(this);
                pump();
            } else {
                // The server ends the connection after this answer (servers limit requests per
                // connection): open the next one at once.
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(this);
            boolean lost = inFlight != NONE;
            if (lost) {
                connectionLosses.incrementAndGet();
                retry(inFlight, RetryAfter.DEFAULT);
                inFlight = NONE;
            }
            later(Sender.this::connect, lost ? RECONNECT_PAUSE : Duration.ZERO);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("ingest connection failed: {}", cause.toString());
            ctx.close();
        }
    }
}
