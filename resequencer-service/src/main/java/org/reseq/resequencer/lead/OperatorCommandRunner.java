package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a few of the operators' queued commands at every poll: RETRY and SKIP of a blocked
 * head ({@link FailedHeads}), a skipped head's placeholder released in its place. Each command is
 * taken from the queue only once carried out, fenced by the lease, so one cut short by an outage
 * is carried out again (both are harmless to repeat: the second finds no blocked head) and a
 * stale leader can neither take nor drop one.
 *
 * <p>Owned by the leader's thread.
 */
final class OperatorCommandRunner {

    /** A bound, so that a long queue does not hold up the poll; the rest waits for the next one. */
    static final int COMMANDS_PER_POLL = 5;

    private static final Logger log = LoggerFactory.getLogger(OperatorCommandRunner.class);

    private final LedDestination led;
    private final LeaderContext context;
    private final FailedHeads failedHeads;
    private final Releaser releaser;
    private final Rewinder rewinder;

    OperatorCommandRunner(LedDestination led, LeaderContext context, FailedHeads failedHeads, Releaser releaser,
                          Rewinder rewinder) {
        this.led = led;
        this.context = context;
        this.failedHeads = failedHeads;
        this.releaser = releaser;
        this.rewinder = rewinder;
    }

    /** Carries out up to {@link #COMMANDS_PER_POLL} commands; none while a rewind is due, which comes first. */
    void obey() throws SQLException {
        for (int i = 0; i < COMMANDS_PER_POLL && !rewinder.pending(); i++) {
            Optional<OperatorCommand> command = context.commands().peek(led.incarnation());
            if (command.isEmpty()) {
                return;
            }
            long sequence = command.get().sequence();
            switch (command.get().action()) {
                case RETRY -> failedHeads.retry(sequence);
                case SKIP -> {
                    Optional<TransformResult> placeholder = failedHeads.skip(sequence);
                    if (placeholder.isPresent()) {
                        releaser.releaseSkipped(placeholder.get());
                    }
                }
                case REDELIVER -> log.warn("Ignoring REDELIVER:{} of {}: egress redelivers", sequence, led.name());
            }
            context.commands().taken(led.lease());
        }
    }
}
