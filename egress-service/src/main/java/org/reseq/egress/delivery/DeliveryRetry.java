package org.reseq.egress.delivery;

import java.time.Duration;
import org.reseq.egress.EgressProperties;
import org.reseq.model.destination.FailurePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Runs one delivery attempt after another, with capped exponential backoff, until one is
 * accepted. Shared by every channel so that all destination types back off alike.
 *
 * <p>Only {@link DeliveryAttemptFailedException} is retried. When a failed attempt carries the
 * destination's {@code Retry-After}, that wait (capped by the maximum delay) replaces the next
 * backoff delay. A permanent failure is retried at most {@code permanent-failure-attempts} times
 * in a row; then the caller's {@link OnPermanentFailure} decides: give up (the message is
 * dead-lettered) or keep trying at the maximum delay (the destination is blocked at it).
 *
 * <p>The wait between two attempts is the guard's ({@link RetryGuard#backOff}), so that a leader
 * being stopped ends it at once; an interrupt of the calling thread ends it too and surfaces as
 * {@link InterruptedException}. Thread-safe: every call gets its own template and backoff state,
 * confined to the calling thread.
 */
@Component
public final class DeliveryRetry {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRetry.class);

    /** What to do once a message was rejected permanently as often as allowed. */
    public enum OnPermanentFailure {
        /** Stop with {@link DeliveryStoppedException#permanentlyRejected()}. */
        GIVE_UP,
        /** Keep trying, the maximum delay apart, for as long as the guard allows. */
        KEEP_TRYING;

        /**
         * As the destination's failure policy says: {@code BLOCK} keeps trying a message in line,
         * so that it goes out once the cause is fixed; {@code DEAD_LETTER} gives up, so that the
         * message is dead-lettered, and so does every redelivery, which has nothing to block.
         */
        public static OnPermanentFailure of(FailurePolicy policy, boolean redelivery) {
            return policy == FailurePolicy.BLOCK && !redelivery ? KEEP_TRYING : GIVE_UP;
        }
    }

    private final EgressProperties.Retry settings;
    private final long permanentFailureAttempts;
    private final RetryListener listener;

    public DeliveryRetry(EgressProperties properties, DeliveryMetrics metrics) {
        this.settings = properties.egress().retry();
        this.permanentFailureAttempts = properties.egress().permanentFailureAttempts();
        this.listener = new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
                metrics.retries(retryable.getName()).increment();
            }
        };
    }

    /** One try at handing a message over; throws when it was not accepted. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws DeliveryAttemptFailedException, DeliveryStoppedException, InterruptedException;
    }

    /** Runs {@code attempt} until it succeeds, giving up after the permanent failures allowed. */
    public void run(String destination, Attempt attempt, RetryGuard guard) throws Exception {
        run(destination, OnPermanentFailure.GIVE_UP, attempt, guard);
    }

    /**
     * Runs {@code attempt} until it succeeds.
     *
     * @param destination names the retries in metrics and logs
     * @param onPermanent what happens once the permanent failures allowed were used up
     * @throws DeliveryStoppedException the guard said stop, the attempts ran out or the message was
     *         rejected permanently (with {@link OnPermanentFailure#GIVE_UP})
     * @throws InterruptedException the calling thread was interrupted
     * @throws Exception whatever the guard threw
     */
    public void run(String destination, OnPermanentFailure onPermanent, Attempt attempt, RetryGuard guard)
            throws Exception {
        Call call = new Call(destination, onPermanent, attempt, guard);
        RetryTemplate template = new RetryTemplate(call);
        template.setRetryListener(listener);
        try {
            template.execute(new Retryable<Void>() {
                @Override
                public Void execute() throws Exception {
                    call.attemptOnce();
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
                throw DeliveryStoppedException.attemptsExhausted(call.attempts, failed.getMessage());
            }
            if (last instanceof Exception other) {
                throw other;
            }
            throw (Error) last;
        }
    }

    /** The state of one {@link #run}: its policy and backoff, used on the calling thread only. */
    private final class Call implements RetryPolicy, BackOff, BackOffExecution {

        private final String destination;
        private final OnPermanentFailure onPermanent;
        private final Attempt attempt;
        private final RetryGuard guard;
        private long attempts;
        private long retries;
        private long permanentInARow;
        private DeliveryAttemptFailedException last;
        /** The next exponential delay in milliseconds. */
        private double exponential = settings.initialDelay().toMillis();
        /** The wait before the next attempt, in milliseconds, spent by the guard rather than the template. */
        private long pendingDelay;

        Call(String destination, OnPermanentFailure onPermanent, Attempt attempt, RetryGuard guard) {
            this.destination = destination;
            this.onPermanent = onPermanent;
            this.attempt = attempt;
            this.guard = guard;
        }

        void attemptOnce() throws Exception {
            if (pendingDelay > 0) {
                long delay = pendingDelay;
                pendingDelay = 0;
                guard.backOff(Duration.ofMillis(delay));
            }
            try {
                attempt.run();
            } catch (InterruptedException e) {
                // The template only sees an exception; keep the flag so the caller can tell.
                Thread.currentThread().interrupt();
                throw e;
            } catch (DeliveryAttemptFailedException e) {
                attempts++;
                last = e;
                permanentInARow = e.permanent() ? permanentInARow + 1 : 0;
                if (holding()) {
                    if (onPermanent == OnPermanentFailure.GIVE_UP) {
                        throw DeliveryStoppedException.permanentFailure(attempts, e.getMessage());
                    }
                    if (permanentInARow == permanentFailureAttempts) {
                        guard.holding(e.getMessage());
                        log.warn("{}: the message was rejected permanently {} times ({}); the destination is blocked"
                                        + " at it and it is tried again every {} ms", destination, permanentInARow,
                                e.getMessage(), settings.maxDelay().toMillis());
                    }
                }
                if (!guard.keepTrying()) {
                    throw DeliveryStoppedException.stoppedByGuard(e.getMessage());
                }
                throw e;
            }
        }

        private boolean holding() {
            return permanentInARow >= permanentFailureAttempts;
        }

        @Override
        public boolean shouldRetry(Throwable throwable) {
            return throwable instanceof DeliveryAttemptFailedException;
        }

        @Override
        public BackOff getBackOff() {
            return this;
        }

        @Override
        public BackOffExecution start() {
            return this;
        }

        @Override
        public long nextBackOff() {
            if (retries >= settings.maxRetries()) {
                return STOP;
            }
            retries++;
            pendingDelay = delay();
            return 0; // the template retries at once; attemptOnce waits through the guard first
        }

        private long delay() {
            long max = settings.maxDelay().toMillis();
            long delay = (long) Math.min(exponential, max);
            exponential = Math.min(exponential * settings.multiplier(), max);
            if (holding()) {
                return max;
            }
            if (last != null && last.retryAfter().isPresent()) {
                Duration asked = last.retryAfter().get();
                return Math.min(Math.max(asked.toMillis(), 0), max);
            }
            return delay;
        }
    }
}
