package org.reseq.model.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the OpenTelemetry bridge the services run, with Spring Boot's parent-based sampler. */
class MessageTracingTests {

    private static final Traceparent SAMPLED = Traceparent.parse(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    private static final Traceparent UNSAMPLED = Traceparent.parse(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");

    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            // New traces are never sampled here: a recorded span can only follow a sampled parent.
            .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
            .build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final MessageTracing tracing = new MessageTracing(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));

    @AfterEach
    void shutDown() {
        provider.close();
    }

    @Test
    void aSpanOfAMessageIsAChildInItsStoredTrace() {
        Span span = tracing.start("reseq.test", SAMPLED);

        Traceparent child = MessageTracing.of(span);
        span.end();

        assertThat(child.traceId()).isEqualTo(SAMPLED.traceId());
        assertThat(child.spanId()).isNotEqualTo(SAMPLED.spanId());
        assertThat(child.sampled()).as("the stored decision holds").isTrue();
    }

    @Test
    void aTraceNotSampledAtIngestStaysUnsampled() {
        Span span = tracing.start("reseq.test", UNSAMPLED);

        assertThat(MessageTracing.of(span).traceId()).isEqualTo(UNSAMPLED.traceId());
        assertThat(MessageTracing.of(span).sampled()).isFalse();
        span.end();
    }

    @Test
    void aMessageWithoutAStoredTraceStartsOneOfItsOwn() {
        Span span = tracing.start("reseq.test", null);

        assertThat(MessageTracing.of(span)).isNotNull();
        assertThat(MessageTracing.of(span).traceId()).isNotEqualTo(SAMPLED.traceId());
        span.end();
    }

    @Test
    void theSpanInScopeIsCurrentAndIsWrittenAsATraceparentHeader() {
        Span span = tracing.start("reseq.test", SAMPLED);
        Map<String, String> headers = new HashMap<>();
        try (Tracer.SpanInScope scope = tracing.inScope(span)) {
            assertThat(tracing.current()).isEqualTo(MessageTracing.of(span));
            tracing.inject(tracing.currentSpan(), headers, Map::put);
        } finally {
            span.end();
        }

        assertThat(headers).containsEntry(Traceparent.HEADER, MessageTracing.of(span).toString());
        assertThat(tracing.current()).as("out of scope").isNull();
    }

    @Test
    void withoutTracingNothingIsStored() {
        Span span = MessageTracing.NOOP.start("reseq.test", SAMPLED);

        assertThat(MessageTracing.of(span)).isNull();
        assertThat(MessageTracing.NOOP.current()).isNull();
    }
}
