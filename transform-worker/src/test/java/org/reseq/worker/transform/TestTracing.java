package org.reseq.worker.transform;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.reseq.model.tracing.MessageTracing;

/** {@link MessageTracing} on the OpenTelemetry bridge the service runs, with a parent-based sampler, exporting nothing. */
final class TestTracing {

    private TestTracing() {
    }

    static MessageTracing openTelemetry() {
        Tracer otel = SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.alwaysOn())).build().get("test");
        return new MessageTracing(new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
    }
}
