package org.reseq.worker.transform;

import java.time.Clock;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.http.BlockingHttp;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.transform.Transform;
import org.reseq.worker.plugin.Plugins;

/**
 * Builds the {@link Transform} for each configured {@link TransformSpec}. Owns the one HTTP
 * client every {@code http} transform shares; {@link #close()} releases it.
 *
 * <p>{@code maxResultBytes} bounds what an {@code http} transform reads of an answer: a larger
 * one fails the item for good; {@link JsonataLimits} bound each evaluation of a {@code jsonata}
 * transform.
 */
public final class Transforms implements AutoCloseable {

    private final CloseableHttpClient httpClient;
    private final Sleeper sleeper;
    private final Clock clock;
    private final int maxResultBytes;
    private final JsonataLimits jsonataLimits;
    private final Plugins plugins;
    private final MessageTracing tracing;

    /** As the full constructor, with {@code http} steps that send no trace context. */
    public Transforms(CloseableHttpClient httpClient, Sleeper sleeper, Clock clock, int maxResultBytes,
            JsonataLimits jsonataLimits, Plugins plugins) {
        this(httpClient, sleeper, clock, maxResultBytes, jsonataLimits, plugins, MessageTracing.NOOP);
    }

    /** @param tracing where {@code http} steps take the trace context they send */
    public Transforms(CloseableHttpClient httpClient, Sleeper sleeper, Clock clock, int maxResultBytes,
            JsonataLimits jsonataLimits, Plugins plugins, MessageTracing tracing) {
        if (maxResultBytes < 1 || maxResultBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxResultBytes must be positive and leave room for one more byte, got "
                    + maxResultBytes);
        }
        this.httpClient = httpClient;
        this.sleeper = sleeper;
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
        this.jsonataLimits = jsonataLimits;
        this.plugins = plugins;
        this.tracing = tracing;
    }

    /**
     * Real waits, the system clock and the pooled blocking client of {@link BlockingHttp#newClient},
     * which connects only where {@code guard} allows.
     */
    public static Transforms withDefaults(DestinationGuard guard, int maxResultBytes) {
        return withDefaults(guard, maxResultBytes, JsonataLimits.DEFAULTS, Plugins.NONE);
    }

    /**
     * As {@link #withDefaults(DestinationGuard, int)}, with the given bounds on JSONata evaluations
     * and the given plugins.
     */
    public static Transforms withDefaults(DestinationGuard guard, int maxResultBytes, JsonataLimits jsonataLimits,
            Plugins plugins) {
        return withDefaults(guard, maxResultBytes, jsonataLimits, plugins, MessageTracing.NOOP);
    }

    /** As {@link #withDefaults(DestinationGuard, int, JsonataLimits, Plugins)}, sending trace contexts from {@code tracing}. */
    public static Transforms withDefaults(DestinationGuard guard, int maxResultBytes, JsonataLimits jsonataLimits,
            Plugins plugins, MessageTracing tracing) {
        return new Transforms(BlockingHttp.newClient(guard), Sleeper.THREAD, Clock.systemUTC(), maxResultBytes,
                jsonataLimits, plugins, tracing);
    }

    /** The transform a spec describes; throws {@link IllegalArgumentException} when it cannot run. */
    public Transform create(TransformSpec spec) {
        return switch (spec) {
            case TransformSpec.Delay delay -> new DelayTransform(delay, sleeper);
            case TransformSpec.Http http -> new HttpTransform(http, httpClient, clock, maxResultBytes, tracing);
            case TransformSpec.Jsonata jsonata -> new JsonataTransform(jsonata, jsonataLimits);
            case TransformSpec.ContentType contentType -> new ContentTypeTransform(contentType);
            case TransformSpec.Headers headers -> new HeadersTransform(headers, jsonataLimits);
            case TransformSpec.Plugin plugin -> plugins.create(plugin);
        };
    }

    /** Closes the shared client and its pooled connections. */
    @Override
    public void close() {
        httpClient.close(CloseMode.GRACEFUL);
    }
}
