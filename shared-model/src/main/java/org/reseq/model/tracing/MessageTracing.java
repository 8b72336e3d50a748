package org.reseq.model.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.UUID;

/**
 * The trace of a message across the services, on Micrometer Tracing: each service starts its span
 * for a message as a child of the {@link Traceparent} stored with the message, so that the whole
 * pipeline shows as one trace; the W3C header form a service sends is written by the configured
 * {@link Propagator}. Whether a span is recorded follows the stored trace's sampled flag (Boot's
 * sampler is parent-based), so the sampling decision is made once, where the message came in.
 *
 * <p>Thread-safe (stateless over the thread-safe tracer and propagator); the span a method
 * starts belongs to the calling thread, which ends it.
 */
public final class MessageTracing {

    /** Traces nothing and stores no trace context: for tests and for tracing turned off. */
    public static final MessageTracing NOOP = new MessageTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public MessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * Starts a span of the message's trace, not in scope.
     *
     * @param parent the message's stored trace context; null (a message stored before traces were
     *        kept) starts a trace of its own
     */
    public Span start(String name, Traceparent parent) {
        Span.Builder builder = tracer.spanBuilder();
        if (parent == null) {
            builder.setNoParent();
        } else {
            // The parent is given whole, never merged into the calling thread's context: a leader
            // thread goes from message to message, and nothing of the last one may leak into the next.
            builder.setParent(tracer.traceContextBuilder().traceId(parent.traceId()).spanId(parent.spanId())
                    .sampled(parent.sampled()).build());
        }
        return builder.name(name).start();
    }

    /**
     * Starts a span of one delivery's work ({@link #start}), tagged with what names the delivery:
     * {@code reseq.destination}, {@code reseq.sequence} and {@code reseq.message_id}.
     */
    public Span startFor(String name, Traceparent parent, String destination, long sequence, UUID messageId) {
        return start(name, parent)
                .tag("reseq.destination", destination)
                .tag("reseq.sequence", sequence)
                .tag("reseq.message_id", messageId.toString());
    }

    /** Work done in a span, which may fail with {@code E}. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run() throws E;
    }

    /**
     * Runs {@code work} with {@code span} in scope on the calling thread, records a failure on the
     * span, and ends the span in every case.
     */
    public <E extends Exception> void within(Span span, Work<E> work) throws E {
        try (Tracer.SpanInScope scope = inScope(span)) {
            work.run();
        } catch (Exception e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Puts the span in scope on the calling thread (log context, {@link #current()}) until closed. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /** The span in scope on the calling thread, or null. */
    public Span currentSpan() {
        return tracer.currentSpan();
    }

    /** The trace context of the span in scope on the calling thread, or null when there is none. */
    public Traceparent current() {
        Span span = tracer.currentSpan();
        return span == null ? null : of(span);
    }

    /** The span's trace context, or null when it has none (tracing is off). */
    public static Traceparent of(Span span) {
        TraceContext context = span.context();
        if (context == null || context.traceId() == null || context.spanId() == null) {
            return null;
        }
        try {
            return new Traceparent(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
        } catch (IllegalArgumentException e) {
            return null; // a no-op span's empty ids
        }
    }

    /**
     * Writes the span's context as the propagator's headers ({@code traceparent}, and
     * {@code tracestate} or {@code baggage} when it has any) through {@code setter}.
     */
    public <C> void inject(Span span, C carrier, Propagator.Setter<C> setter) {
        propagator.inject(span.context(), carrier, setter);
    }
}
