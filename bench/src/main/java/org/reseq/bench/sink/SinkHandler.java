package org.reseq.bench.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code POST /sink/{destination}} (a delivery: recorded, then 200 at once, or 503 while
 * the run plays an outage) and {@code POST /transform/{destination}} (the destination's http
 * transform: answers with the payload after the time the payload names, and records that moment
 * as the message's ready time).
 *
 * <p>Runs on the event loops and never blocks them: a transform's wait is a task scheduled on the
 * connection's own event loop. A client sends one request per connection at a time (the stack's
 * HTTP/1.1 clients do not pipeline), so delayed answers cannot overtake one another.
 */
@ChannelHandler.Sharable
final class SinkHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String SINK = "/sink/";
    static final String TRANSFORM = "/transform/";
    private static final Logger log = LoggerFactory.getLogger(SinkHandler.class);

    private final Map<String, Reception> receptions;

    SinkHandler(Map<String, Reception> receptions) {
        this.receptions = receptions;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        if (!HttpMethod.POST.equals(request.method())) {
            answer(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED);
        } else if (uri.startsWith(SINK)) {
            delivery(ctx, request, uri.substring(SINK.length()));
        } else if (uri.startsWith(TRANSFORM)) {
            transform(ctx, request, uri.substring(TRANSFORM.length()));
        } else {
            answer(ctx, HttpResponseStatus.NOT_FOUND);
        }
    }

    /**
     * One message ({@code Reseq-Sequence}) or a batch: consecutive sequences, which the headers
     * name ({@code Reseq-First-Sequence} to {@code Reseq-Last-Sequence}), so the body need not be read.
     */
    private void delivery(ChannelHandlerContext ctx, FullHttpRequest request, String destination) {
        boolean batch = request.headers().contains("Reseq-First-Sequence");
        long first = batch ? number(request, "Reseq-First-Sequence") : number(request, "Reseq-Sequence");
        long last = batch ? number(request, "Reseq-Last-Sequence") : first;
        if (first < 1 || last < first) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        Reception reception = receptions.get(destination);
        // Deliveries to a destination of no current run (left over from an earlier one) are taken
        // and forgotten, so that they never hold anything up.
        boolean accepted = true;
        long now = System.nanoTime();
        for (long sequence = first; sequence <= last && accepted; sequence++) {
            accepted = reception == null || reception.deliver(destination, sequence, now);
        }
        answer(ctx, accepted ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE);
    }

    private void transform(ChannelHandlerContext ctx, FullHttpRequest request, String destination) {
        long sequence = sequence(request);
        long millis;
        try {
            millis = TransformPayload.millis(request.content().toString(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        ByteBuf payload = request.content().retainedDuplicate();
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        Runnable done = () -> {
            Reception reception = receptions.get(destination);
            if (reception != null && sequence > 0) {
                reception.ready(destination, sequence, System.nanoTime());
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    payload);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, payload.readableBytes());
            ctx.writeAndFlush(response);
        };
        if (millis == 0) {
            done.run();
        } else {
            ctx.executor().schedule(done, millis, TimeUnit.MILLISECONDS);
        }
    }

    private static long sequence(FullHttpRequest request) {
        return number(request, "Reseq-Sequence");
    }

    private static long number(FullHttpRequest request, String header) {
        String value = request.headers().get(header);
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("sink connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
