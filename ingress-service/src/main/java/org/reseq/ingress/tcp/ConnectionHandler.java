package org.reseq.ingress.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's frames in, one reply line per frame out, in input order. Each frame is
 * handed to the {@link FrameAcceptor} at once (so a sender may pipeline); its future reply joins
 * a queue, and replies are written from the head of that queue as soon as the head is done, so a
 * later commit finishing first waits for the earlier ones.
 *
 * <p>Back-pressure: the connection stops reading (auto-read off) while {@code maxPending}
 * replies are queued or the socket is not writable (a sender that does not read its replies),
 * and for a moment after the back-pressure gate refused a message; it reads again once those
 * clear. Memory per connection is therefore bounded by {@code maxPending} messages plus one read.
 *
 * <p>Threads: one instance per connection, added to the pipeline with its own executor, which
 * runs every method here and owns all fields; commit callbacks only hop onto that executor.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final String channel;
    private final Framing framing;
    private final FrameAcceptor acceptor;
    private final int maxPending;
    private final ArrayDeque<CompletableFuture<String>> pending = new ArrayDeque<>();
    private boolean pausedForBacklog;
    private boolean inputShutdown;

    ConnectionHandler(String channel, Framing framing, FrameAcceptor acceptor, int maxPending) {
        this.channel = channel;
        this.framing = framing;
        this.acceptor = acceptor;
        this.maxPending = maxPending;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf frame) {
                FrameAcceptor.Submission submission = acceptor.accept(channel, framing, ByteBufUtil.getBytes(frame));
                if (submission.refused()) {
                    // Before the refusal is written: reading must stop before the sender can react to it.
                    pauseForBacklog(ctx);
                }
                enqueue(ctx, submission.reply());
            } else if (msg instanceof Oversize oversize) {
                enqueue(ctx, CompletableFuture.completedFuture(acceptor.oversize(oversize.length())));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // The line decoder discarded the line up to its end; the stream goes on after it.
            enqueue(ctx, CompletableFuture.completedFuture(
                    "ERR 413 line longer than the limit of " + acceptor.maxPayloadBytes() + " bytes"));
            return;
        }
        log.debug("TCP ingest connection {} for channel {} failed; closing it", ctx.channel(), channel, cause);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The sender is done sending: answer what it sent, then close.
            inputShutdown = true;
            closeWhenAnswered(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void enqueue(ChannelHandlerContext ctx, CompletableFuture<String> reply) {
        pending.add(reply);
        // Completes on the committer thread (or here, when already done): only hop over.
        reply.whenComplete((line, error) -> ctx.executor().execute(() -> writeDone(ctx)));
        updateReading(ctx);
    }

    private void writeDone(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().isDone()) {
            CompletableFuture<String> done = pending.poll();
            // The acceptor turns every failure into an ERR line; this is only a safety net.
            String line = done.isCompletedExceptionally()
                    ? "ERR 503 the message could not be committed; retry" : done.resultNow();
            ctx.write(ctx.alloc().buffer().writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8)));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        updateReading(ctx);
        closeWhenAnswered(ctx);
    }

    private void pauseForBacklog(ChannelHandlerContext ctx) {
        if (pausedForBacklog) {
            return;
        }
        pausedForBacklog = true;
        updateReading(ctx);
        ctx.executor().schedule(() -> {
            pausedForBacklog = false;
            updateReading(ctx);
        }, acceptor.backlogPause().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void updateReading(ChannelHandlerContext ctx) {
        boolean read = !pausedForBacklog && !inputShutdown && pending.size() < maxPending
                && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void closeWhenAnswered(ChannelHandlerContext ctx) {
        if (inputShutdown && pending.isEmpty() && ctx.channel().isOpen()) {
            ctx.close();
        }
    }
}
