package org.reseq.ingress.tcp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.backpressure.DestinationBacklog;
import org.reseq.ingress.commit.CommitOutcome;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.PendingMessage;
import org.reseq.ingress.ingest.MessageIds;
import org.reseq.model.tracing.MessageTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one TCP frame into a message submitted to the commit pipeline, and its outcome into the
 * reply line the sender gets: {@code OK <messageId>} or {@code ERR <code> <reason>}. The same
 * decisions as the HTTP ingest: 413 over the payload limit, 429 while a destination of the
 * channel is over its {@code maxBacklog}, 404 for an unknown channel, 503 when the store did not
 * commit.
 *
 * <p>Each message starts a trace of its own, a span named {@code reseq.ingest.tcp} from its frame
 * to its commit (a frame has no headers to continue a sender's trace from), and stores its
 * context.
 *
 * <p>Thread-safe; called on connection handler threads, which call it in input order, so
 * messages of one connection reach the pipeline (and get their sequences) in input order.
 */
final class FrameAcceptor {

    private static final Logger log = LoggerFactory.getLogger(FrameAcceptor.class);
    static final String SPAN_NAME = "reseq.ingest.tcp";

    private final CommitPipeline pipeline;
    private final BackpressureGate backpressure;
    private final MessageIds ids;
    private final Clock clock;
    private final MessageTracing tracing;
    private final long maxPayloadBytes;
    private final Counter accepted;
    private final Counter rejected;

    FrameAcceptor(CommitPipeline pipeline, BackpressureGate backpressure, MessageIds ids, Clock clock,
            long maxPayloadBytes, MeterRegistry registry, MessageTracing tracing) {
        this.pipeline = pipeline;
        this.tracing = tracing;
        this.backpressure = backpressure;
        this.ids = ids;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
        this.accepted = Counter.builder("reseq.ingress.tcp.messages")
                .description("TCP frames answered OK after their commit").tag("reply", "ok").register(registry);
        this.rejected = Counter.builder("reseq.ingress.tcp.messages")
                .description("TCP frames answered ERR").tag("reply", "err").register(registry);
    }

    long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** What the sender of a frame is told: the reply line, once known, and whether the gate refused it. */
    record Submission(CompletableFuture<String> reply, boolean refused) {
    }

    Submission accept(String channel, Framing framing, byte[] payload) {
        if (payload.length > maxPayloadBytes) {
            return new Submission(CompletableFuture.completedFuture(oversize(payload.length)), false);
        }
        List<DestinationBacklog> overLimit = backpressure.overLimit(channel);
        if (!overLimit.isEmpty()) {
            rejected.increment();
            DestinationBacklog first = overLimit.getFirst();
            return new Submission(CompletableFuture.completedFuture("ERR 429 destination " + first.destination()
                    + " has " + first.backlog() + " undelivered messages, more than its maxBacklog of "
                    + first.maxBacklog() + "; retry later"), true);
        }
        Span span = tracing.start(SPAN_NAME, null).tag("reseq.channel", channel);
        PendingMessage message = new PendingMessage(ids.next(), channel, framing.contentType(), payload,
                clock.instant(), null, Map.of(), MessageTracing.of(span));
        CompletableFuture<CommitOutcome> commit;
        try {
            commit = pipeline.submit(message);
        } catch (RuntimeException e) {
            commit = CompletableFuture.failedFuture(e);
        }
        return new Submission(commit.handle((outcome, error) -> {
            span.end();
            return reply(channel, outcome, error);
        }), false);
    }

    /** The reply to a frame that was skipped for its size. */
    String oversize(long length) {
        rejected.increment();
        return "ERR 413 frame of " + length + " bytes is larger than the limit of " + maxPayloadBytes + " bytes";
    }

    /** How long a connection stops reading after the gate refused one of its messages. */
    Duration backlogPause() {
        return backpressure.retryAfter();
    }

    private String reply(String channel, CommitOutcome outcome, Throwable error) {
        if (error != null) {
            rejected.increment();
            log.debug("A TCP message for channel {} was not committed", channel, error);
            return "ERR 503 the store is unavailable; nothing was accepted, retry";
        }
        return switch (outcome) {
            case CommitOutcome.Accepted ok -> {
                accepted.increment();
                yield "OK " + ok.receipt().messageId();
            }
            // No idempotency key is sent over TCP, so neither this nor a reused key can happen; answer
            // them truthfully anyway.
            case CommitOutcome.Replayed repeat -> {
                accepted.increment();
                yield "OK " + repeat.original().messageId();
            }
            case CommitOutcome.KeyReused reused -> {
                rejected.increment();
                yield "ERR 422 idempotency key " + reused.idempotencyKey() + " names a different message";
            }
            case CommitOutcome.UnknownChannel unknown -> {
                rejected.increment();
                yield "ERR 404 no channel named " + unknown.channel();
            }
            // A TCP frame has no headers, so there is none to refuse; answer it truthfully anyway.
            case CommitOutcome.HeadersRefused refused -> {
                rejected.increment();
                yield "ERR 400 " + refused.violations().getFirst().field() + " "
                        + refused.violations().getFirst().message();
            }
        };
    }
}
