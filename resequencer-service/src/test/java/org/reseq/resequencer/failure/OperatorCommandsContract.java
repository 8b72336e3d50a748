package org.reseq.resequencer.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reseq.model.failure.OperatorCommand.Action;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Incarnation;

/**
 * What every {@link OperatorCommands} does, against the in-memory fake and against Redis: a
 * command is taken only by the holder of the destination's fence, and only within its term, so
 * that two holders never both carry one out or both drop it.
 */
abstract class OperatorCommandsContract {

    final String destination = "commands-" + UUID.randomUUID();
    /** The incarnation the contract's leases lead (destination id 1). */
    final Incarnation incarnation = new Incarnation(destination, 1);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    abstract OperatorCommands commands();

    /** The admin API queues {@code command}. */
    abstract void queue(OperatorCommand command);

    /** A leader of {@code epoch} claimed the destination's fence. */
    abstract void fence(long epoch);

    @Test
    void aPeekLeavesTheOldestCommandWhereItIs() {
        queue(new OperatorCommand(Action.RETRY, 3));
        queue(new OperatorCommand(Action.SKIP, 3));

        assertThat(commands().peek(incarnation)).contains(new OperatorCommand(Action.RETRY, 3));
        assertThat(commands().peek(incarnation)).contains(new OperatorCommand(Action.RETRY, 3));
    }

    @Test
    void theFenceHolderTakesCommandsOneAtATime() {
        fence(2);
        queue(new OperatorCommand(Action.RETRY, 3));
        queue(new OperatorCommand(Action.SKIP, 3));

        commands().taken(lease(2));

        assertThat(commands().peek(incarnation)).contains(new OperatorCommand(Action.SKIP, 3));
        commands().taken(lease(2));
        assertThat(commands().peek(incarnation)).isEmpty();
    }

    @Test
    void aStaleLeaderNeitherTakesNorDropsACommand() {
        fence(3);
        queue(new OperatorCommand(Action.SKIP, 1));

        assertThatThrownBy(() -> commands().taken(lease(2))).isInstanceOf(LeaseLostException.class);

        assertThat(commands().peek(incarnation)).contains(new OperatorCommand(Action.SKIP, 1));
    }

    @Test
    void withoutAFenceACommandWaitsForTheLeaderToRewindFirst() {
        queue(new OperatorCommand(Action.SKIP, 1));

        commands().taken(lease(1));

        assertThat(commands().peek(incarnation)).contains(new OperatorCommand(Action.SKIP, 1));
    }

    @Test
    void nothingIsTakenOnceTheTermEnded() {
        fence(1);
        queue(new OperatorCommand(Action.SKIP, 1));
        Lease lease = lease(1);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());

        assertThatThrownBy(() -> commands().taken(lease)).isInstanceOf(LeaseLostException.class);
        assertThat(commands().peek(incarnation)).isPresent();
    }

    private Lease lease(long epoch) {
        LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
        term.renewed(term.now());
        return new Lease(destination, 1, LeaseRole.RESEQUENCER, epoch, 0, term);
    }
}
