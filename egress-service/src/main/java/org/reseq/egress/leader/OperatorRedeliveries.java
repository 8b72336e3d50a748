package org.reseq.egress.leader;

import io.micrometer.tracing.Span;
import java.util.Optional;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.redis.Incarnation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the operators' commands to egress of one destination. A {@code REDELIVER} names a
 * dead letter, whose kept payload is delivered once, outside the ordered stream (marked
 * {@code Reseq-Redelivery: true}), with the usual retries; the delivered cursor never moves for
 * it, and once accepted the dead letter is marked redelivered. A {@code SKIP} of the head egress
 * holds ({@link BlockedHead}) has it dead-lettered and passed over.
 *
 * <p>A dead letter keeps no trace context: its redelivery starts a trace of its own, a
 * {@code reseq.redeliver} span whose context the destination receives.
 *
 * <p>Not thread-safe: owned by the destination's leader and run on its thread, between rounds of
 * ordered delivery.
 */
final class OperatorRedeliveries {

    private static final Logger log = LoggerFactory.getLogger(OperatorRedeliveries.class);
    /** Commands carried out per round at most, so the ordered stream is not held up for long. */
    static final int PER_ROUND = 5;
    static final String SPAN_NAME = "reseq.redeliver";

    private final Incarnation incarnation;
    private final BlockedHead blockedHead;
    private final String destination;
    private final LeaderContext context;

    OperatorRedeliveries(Incarnation incarnation, LeaderContext context, BlockedHead blockedHead) {
        this.blockedHead = blockedHead;
        this.incarnation = incarnation;
        this.destination = incarnation.destination();
        this.context = context;
    }

    /**
     * Carries out the next few commands.
     *
     * @return false when a redelivery stopped without the destination accepting it (paused,
     *         reconfigured, attempts used up): the command is put back and is carried out later
     */
    boolean run(Lease lease, DeliveryChannel channel, DestinationConfig config, RetryGuard guard) throws Exception {
        for (int count = 0; count < PER_ROUND; count++) {
            Optional<OperatorCommand> next = context.redeliveries().next(lease);
            if (next.isEmpty()) {
                return true;
            }
            if (!carryOut(lease, next.get(), channel, config, guard)) {
                return false;
            }
        }
        return true;
    }

    private boolean carryOut(Lease lease, OperatorCommand command, DeliveryChannel channel,
                             DestinationConfig config, RetryGuard guard) throws Exception {
        if (command.action() != OperatorCommand.Action.REDELIVER) {
            headCommand(command);
            return true;
        }
        long sequence = command.sequence();
        Optional<DeadLetter> found;
        try {
            found = context.deadLetters().find(destination, sequence);
        } catch (Exception e) {
            putBack(command);
            throw e;
        }
        if (found.isEmpty()) {
            log.warn("{}: asked to redeliver {}, which is no dead letter; ignored", destination, sequence);
            return true;
        }
        DeadLetter letter = found.get();
        Delivery delivery = new Delivery(destination, sequence, letter.messageId(), letter.contentType(),
                letter.payload() == null ? new byte[0] : letter.payload(), letter.headers(), true, lease.epoch());
        try {
            send(lease, channel, config, delivery, guard);
        } catch (DeliveryStoppedException e) {
            if (e.permanentlyRejected() || e.undeliverable()) {
                log.error("{}: the redelivery of dead letter {} was rejected: {}; not marked redelivered",
                        destination, sequence, e.getMessage());
                return true;
            }
            log.info("{}: the redelivery of dead letter {} stopped ({}); it is tried again later", destination,
                    sequence, e.getMessage());
            putBack(command);
            return false;
        } catch (InterruptedException | LeaseLostException e) {
            // The lease is being given up: the next leader carries it out instead.
            putBack(command);
            throw e;
        }
        context.deadLetters().markRedelivered(destination, sequence);
        context.metrics().redelivered(destination).increment();
        log.info("{}: dead letter {} was redelivered on an operator's command", destination, sequence);
        return true;
    }

    private void send(Lease lease, DeliveryChannel channel, DestinationConfig config, Delivery delivery,
                      RetryGuard guard) throws Exception {
        Span span = context.tracing().startFor(SPAN_NAME, null, destination, delivery.sequence(), delivery.messageId());
        context.tracing().within(span, () -> {
            lease.ensureValid();
            channel.deliver(config, delivery, guard);
        });
    }

    /** SKIP or RETRY of the head egress holds: a skip is carried out at its next delivery. */
    private void headCommand(OperatorCommand command) {
        long sequence = command.sequence();
        if (command.action() == OperatorCommand.Action.RETRY) {
            log.info("{}: a retry of {} was asked; egress tries a message it holds again by itself", destination,
                    sequence);
        } else if (blockedHead.askSkip(sequence)) {
            log.info("{}: skipping the held head {} on an operator's command", destination, sequence);
        } else {
            log.warn("{}: ignoring a skip of {}: egress does not hold it", destination, sequence);
        }
    }

    private void putBack(OperatorCommand command) {
        try {
            context.redeliveries().putBack(incarnation, command);
        } catch (RuntimeException e) {
            log.warn("{}: could not put back {}; it is lost and has to be asked for again: {}", destination,
                    command.encode(), e.toString());
        }
    }
}
