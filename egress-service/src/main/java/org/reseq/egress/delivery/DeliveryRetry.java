package org.reseq.egress.delivery;

import org.reseq.egress.EgressProperties;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

/**
 * Runs one delivery attempt after another, with capped exponential backoff, until one is
 * accepted. Shared by every channel so that all destination types back off alike.
 *
 * <p>Only {@link DeliveryAttemptFailedException} is retried. An interrupt of the calling thread
 * (the leader giving its lease up) ends the backoff at once and surfaces as
 * {@link InterruptedException}. Thread-safe: the template keeps no per-call state.
 */
@Component
public final class DeliveryRetry {

    private final RetryTemplate template;

    public DeliveryRetry(EgressProperties properties, DeliveryMetrics metrics) {
        EgressProperties.Retry settings = properties.egress().retry();
        RetryPolicy policy = RetryPolicy.builder()
                .delay(settings.initialDelay())
                .multiplier(settings.multiplier())
                .maxDelay(settings.maxDelay())
                .maxRetries(settings.maxRetries())
                .predicate(DeliveryAttemptFailedException.class::isInstance)
                .build();
        this.template = new RetryTemplate(policy);
        this.template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
                metrics.retries(retryable.getName()).increment();
            }
        });
    }

    /** One try at handing a message over; throws when it was not accepted. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws DeliveryAttemptFailedException, InterruptedException;
    }

    /**
     * Runs {@code attempt} until it succeeds.
     *
     * @param destination names the retries in metrics and logs
     * @throws DeliveryStoppedException the guard said stop or the attempts ran out
     * @throws InterruptedException the calling thread was interrupted
     * @throws Exception whatever the guard threw
     */
    public void run(String destination, Attempt attempt, RetryGuard guard) throws Exception {
        try {
            template.execute(new Retryable<Void>() {
                @Override
                public Void execute() throws Exception {
                    attemptOnce(attempt, guard);
                    return null;
                }

                @Override
                public String getName() {
                    return destination;
                }
            });
        } catch (RetryException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Delivery to " + destination + " interrupted");
            }
            Throwable last = e.getLastException();
            if (last instanceof DeliveryAttemptFailedException failed) {
                throw DeliveryStoppedException.attemptsExhausted(e.getRetryCount() + 1L, failed.getMessage());
            }
            if (last instanceof Exception other) {
                throw other;
            }
            throw (Error) last;
        }
    }

    private static void attemptOnce(Attempt attempt, RetryGuard guard) throws Exception {
        try {
            attempt.run();
        } catch (InterruptedException e) {
            // The template only sees an exception; keep the flag so the caller can tell.
            Thread.currentThread().interrupt();
            throw e;
        } catch (DeliveryAttemptFailedException e) {
            if (!guard.keepTrying()) {
                throw DeliveryStoppedException.stoppedByGuard(e.getMessage());
            }
            throw e;
        }
    }
}
