package org.reseq.worker.transform;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.RetryLaterException;
import org.reseq.transform.TransformException;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs a {@link TransformChain} on one work item and turns the outcome into its
 * {@link TransformResult}: each attempt under the chain's timeout, failed attempts retried
 * with {@link RetryBackoff} until the chain's attempts are used up, unless an attempt failed
 * with a {@link PermanentTransformException}. A failure that says when to try again
 * ({@link RetryLaterException}) makes the next wait at least that long, up to the chain's
 * timeout ({@link HintedBackOff}).
 *
 * <p>Threading: {@link #run} blocks the calling thread (a virtual thread per work item) for the
 * whole delivery; each attempt runs on a virtual thread of its own so that a timed-out attempt
 * can be abandoned and interrupted while the caller moves on; the caller's span goes with it, so
 * that an {@code http} step sends the item's trace context. Stateless: one instance serves every
 * item at once.
 */
public final class ChainRunner {

    private final Clock clock;
    private final RetryBackoff backoff;
    private final MessageTracing tracing;

    public ChainRunner(Clock clock, RetryBackoff backoff, MessageTracing tracing) {
        this.clock = clock;
        this.backoff = backoff;
        this.tracing = tracing;
    }

    /** A runner that carries no trace context to the steps. */
    public ChainRunner(Clock clock, RetryBackoff backoff) {
        this(clock, backoff, MessageTracing.NOOP);
    }

    /**
     * Transforms one item.
     *
     * @return a successful result with the final payload, or a failed one with the last error and
     *     the number of attempts made
     * @throws InterruptedException when the calling thread was interrupted (shutdown): nothing is
     *     decided, the item must stay unfinished
     */
    public TransformResult run(WorkItem item, TransformChain chain) throws InterruptedException {
        if (chain.steps().isEmpty()) {
            // Nothing can fail or hang: no attempt thread, no timeout, no retry policy per message.
            return TransformResult.success(item, item.contentType(), item.payload(), item.headers(), 1,
                    clock.millis());
        }
        TransformRequest input = requestFor(item);
        AtomicInteger attempts = new AtomicInteger();
        HintedBackOff backOff = new HintedBackOff(backoff, chain.maxAttempts(), chain.attemptTimeout());
        RetryTemplate retry = new RetryTemplate(policy(backOff));
        try {
            TransformResponse output = retry.execute(() -> {
                attempts.incrementAndGet();
                try {
                    return attempt(chain, input);
                } catch (Exception e) {
                    backOff.failed(e);
                    throw e;
                }
            });
            return TransformResult.success(item, output.contentType(), output.payload(), output.headers(),
                    attempts.get(), clock.millis());
        } catch (RetryException e) {
            if (Thread.interrupted() || e.getLastException() instanceof InterruptedException) {
                throw new InterruptedException("interrupted while transforming " + item.destination() + ":"
                        + item.sequence());
            }
            return TransformResult.failure(item, describe(e.getLastException()), attempts.get(), clock.millis());
        }
    }

    /** The first step's request: the work item's original payload and headers. */
    private static TransformRequest requestFor(WorkItem item) {
        return new TransformRequest(item.payload(), item.contentType(), item.headers(), item.destination(),
                item.sequence(), item.messageId());
    }

    private static RetryPolicy policy(HintedBackOff backOff) {
        return RetryPolicy.builder()
                .backOff(backOff)
                // An interrupted caller is shutting down: retrying would only delay it.
                .predicate(failure -> !(failure instanceof InterruptedException)
                        && !(failure instanceof PermanentTransformException))
                .build();
    }

    private TransformResponse attempt(TransformChain chain, TransformRequest input) throws Exception {
        Span span = tracing.currentSpan();
        FutureTask<TransformResponse> task = new FutureTask<>(() -> {
            if (span == null) {
                return chain.apply(input);
            }
            try (Tracer.SpanInScope scope = tracing.inScope(span)) {
                return chain.apply(input);
            }
        });
        Thread.ofVirtual().name("reseq-transform-" + input.destination() + "-" + input.sequence()).start(task);
        long timeoutMs = chain.attemptTimeout().toMillis();
        try {
            return task.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new TransformException("transform chain timed out after " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "transform chain failed";
        }
        if (failure instanceof TransformException) {
            return failure.getMessage();
        }
        // Not a message written here: it may quote a URL with its secrets.
        String message = SecretMasking.text(failure.getMessage());
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
