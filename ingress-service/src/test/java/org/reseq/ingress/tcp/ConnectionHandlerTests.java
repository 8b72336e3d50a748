package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.commit.CommitFailedException;
import org.reseq.ingress.commit.CommitOutcome;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.PendingMessage;
import org.reseq.ingress.commit.Receipt;
import org.reseq.ingress.ingest.MessageIds;
import org.reseq.model.tracing.MessageTracing;

class ConnectionHandlerTests {

    private static final int LIMIT = 16;

    private final List<PendingMessage> submitted = new ArrayList<>();
    private final List<CompletableFuture<CommitOutcome>> commits = new ArrayList<>();
    private final FrameAcceptor acceptor = new FrameAcceptor(new CommitPipeline() {
        @Override
        public CompletableFuture<CommitOutcome> submit(PendingMessage message) {
            CompletableFuture<CommitOutcome> commit = new CompletableFuture<>();
            submitted.add(message);
            commits.add(commit);
            return commit;
        }

        @Override
        public CompletableFuture<List<CommitOutcome>> submitWhole(List<PendingMessage> messages) {
            throw new UnsupportedOperationException("TCP ingest commits one message at a time");
        }
    }, new BackpressureGate(channel -> List.of(), Duration.ZERO), new MessageIds(Clock.systemUTC()),
            Clock.systemUTC(), LIMIT, new SimpleMeterRegistry(), MessageTracing.NOOP);

    private EmbeddedChannel connection(int maxPending) {
        return new EmbeddedChannel(new LineBasedFrameDecoder(LIMIT, true, false),
                new ConnectionHandler("orders", Framing.LINE, acceptor, maxPending));
    }

    @Test
    void repliesFollowTheInputOrderWhateverOrderTheCommitsCompleteIn() {
        EmbeddedChannel channel = connection(100);

        channel.writeInbound(ascii("a\nb\nc\n"));
        assertThat(submitted).extracting(message -> new String(message.payload(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
        accept(2);
        commits.get(1).complete(new CommitOutcome.UnknownChannel("orders"));
        channel.runPendingTasks();
        assertThat(replies(channel)).isEmpty();

        accept(0);
        channel.runPendingTasks();

        List<String> replies = replies(channel);
        assertThat(replies).hasSize(3);
        assertThat(replies.get(0)).isEqualTo("OK " + submitted.get(0).id());
        assertThat(replies.get(1)).startsWith("ERR 404 ");
        assertThat(replies.get(2)).isEqualTo("OK " + submitted.get(2).id());
    }

    @Test
    void aFailedCommitIs503AndAnOverLongLineIs413InItsPlace() {
        EmbeddedChannel channel = connection(100);

        channel.writeInbound(ascii("a\n" + "x".repeat(LIMIT + 1) + "\nb\n"));
        commits.get(0).completeExceptionally(new CommitFailedException("down", null));
        accept(1);
        channel.runPendingTasks();

        List<String> replies = replies(channel);
        assertThat(replies).hasSize(3);
        assertThat(replies.get(0)).startsWith("ERR 503 ");
        assertThat(replies.get(1)).startsWith("ERR 413 ");
        assertThat(replies.get(2)).isEqualTo("OK " + submitted.get(1).id());
    }

    @Test
    void stopsReadingWhileTooManyRepliesArePendingAndResumesWhenTheyAreWritten() {
        EmbeddedChannel channel = connection(2);

        channel.writeInbound(ascii("a\n"));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(ascii("b\n"));
        assertThat(channel.config().isAutoRead()).isFalse();

        accept(0);
        accept(1);
        channel.runPendingTasks();

        assertThat(replies(channel)).hasSize(2);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    private void accept(int index) {
        PendingMessage message = submitted.get(index);
        commits.get(index).complete(new CommitOutcome.Accepted(
                new Receipt(message.id(), message.channel(), List.of(new Receipt.Delivery("sink", index + 1)))));
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static List<String> replies(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            text.append(written.toString(StandardCharsets.UTF_8));
            written.release();
        }
        return text.isEmpty() ? List.of() : List.of(text.toString().split("\n"));
    }
}
