package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter.Stage;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.dispatch.Dispatcher.Dispatched;
import org.reseq.resequencer.failure.Original;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a head of the line whose transform failed for good: the DEAD_LETTER policy, and
 * an operator's RETRY and SKIP under BLOCK. Each acts only on the head R+1 and only while it is
 * blocked, so a command that arrives late (or twice) changes nothing.
 *
 * <p>Owned by one leader's thread, like the {@link LedDestination} it acts on.
 */
final class FailedHeads {

    static final String SKIPPED = "skipped by an operator";

    private static final Logger log = LoggerFactory.getLogger(FailedHeads.class);

    private final LedDestination led;
    private final String destination;
    private final LeaderContext context;
    /** The blocked head last looked up in the dead letters under BLOCK, so each is looked up once. */
    private long lookedUp;

    FailedHeads(LedDestination led, LeaderContext context) {
        this.led = led;
        this.destination = led.name();
        this.context = context;
    }

    /**
     * Decides about a failed head: under DEAD_LETTER it is dead-lettered; under BLOCK it stays
     * blocked unless it is a dead letter already (skipped or dead-lettered before a rewind sent it
     * through the transform again), which then passes as well.
     *
     * @return whether the line changed, so the caller plans again
     */
    boolean handle(long head) throws SQLException {
        if (led.settings().onFailure() == FailurePolicy.DEAD_LETTER) {
            return deadLetter(head);
        }
        if (head == lookedUp) {
            return false;
        }
        boolean deadLettered = context.deadLetters().exists(destination, head);
        lookedUp = head;
        if (!deadLettered) {
            return false;
        }
        log.info("{} #{} failed again but is a dead letter already; it passes", destination, head);
        led.line().pass(head);
        return true;
    }

    /** Forgets what was looked up: after a rewind or a skip, a blocked head is news again. */
    void reset() {
        lookedUp = 0;
    }

    /**
     * DEAD_LETTER: records the failed head as a TRANSFORM dead letter (error and attempts from its
     * result, payload as received) and lets its failed result go out in its place.
     *
     * @return whether the line changed (the head passes, or turned out to have another result)
     */
    private boolean deadLetter(long head) throws SQLException {
        Line line = led.line();
        Optional<TransformResult> result = context.results().result(led.incarnation(), head);
        if (result.isEmpty() || result.get().ok()) {
            // replaced or gone since its signal: wait for it as it is now (the watchdog covers a loss)
            line.forget(head);
            result.ifPresent(ok -> line.finished(head, true));
            return true;
        }
        TransformResult failed = result.get();
        if (context.deadLetters().record(led.lease(), head, Stage.TRANSFORM, failed.error(), failed.attempts())
                .isEmpty()) {
            log.error("{} #{} failed but has no delivery row to dead-letter; it stays blocked", destination, head);
            return false;
        }
        log.warn("Dead-lettered {} #{} after {} attempts ({}); the rest goes on in order", destination, head,
                failed.attempts(), failed.error());
        context.metrics().deadLettered(destination, Stage.TRANSFORM.name());
        line.pass(head);
        return true;
    }

    /** RETRY: drops the blocked head's failed result and dispatches it again from PostgreSQL. */
    void retry(long sequence) throws SQLException {
        Line line = led.line();
        Dispatcher.Config config = led.settings().dispatchConfig();
        if (sequence != line.released() + 1 || !line.headBlocked() || config == null) {
            ignored("RETRY", sequence);
            return;
        }
        context.results().discard(led.incarnation(), sequence);
        line.forget(sequence);
        Dispatched again = context.dispatcher().dispatch(led.incarnation(), sequence - 1, sequence, Set.of(), config);
        line.finishedAtDispatch(again.finished()); // its transforms were removed meanwhile
        context.metrics().dispatched(destination, again.sent());
        log.warn("An operator retried {} #{}: dispatched it again", destination, sequence);
    }

    /**
     * SKIP: records the blocked head (failed, or without any result) as a SKIPPED dead letter.
     *
     * @return the failed placeholder to release in its place, empty when the command is ignored
     */
    Optional<TransformResult> skip(long sequence) throws SQLException {
        Line line = led.line();
        if (sequence != line.released() + 1 || (line.headKnown() && !line.headBlocked())) {
            ignored("SKIP", sequence);
            return Optional.empty();
        }
        int attempts = context.results().result(led.incarnation(), sequence).map(TransformResult::attempts).orElse(0);
        Optional<Original> original = context.deadLetters().record(led.lease(), sequence, Stage.SKIPPED, SKIPPED,
                attempts);
        reset();
        if (original.isEmpty()) {
            log.info("Ignoring SKIP of {} #{}: there is no such delivery", destination, sequence);
            return Optional.empty();
        }
        return Optional.of(new TransformResult(sequence, original.get().messageId(), false,
                original.get().contentType(), new byte[0], SKIPPED, attempts, context.clock().millis()));
    }

    private void ignored(String action, long sequence) {
        log.info("Ignoring {} of {} #{}: it is not the blocked head (released #{})", action, destination, sequence,
                led.line().released());
    }
}
