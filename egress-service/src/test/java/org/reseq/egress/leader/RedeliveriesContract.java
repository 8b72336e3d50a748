package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * What every {@link Redeliveries} does, against the in-memory fake the leader's unit tests use
 * and against Redis: commands are taken in order, only by the holder of the destination's egress
 * fence and only within its term, so that two leaders never both carry one out or both drop it.
 */
abstract class RedeliveriesContract {

    final String destination = "redeliveries-" + UUID.randomUUID();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    abstract Redeliveries redeliveries();

    /** The admin API queued {@code text} (normally an encoded command). */
    abstract void queue(String text);

    /** The epoch in the destination's egress fence, empty when there is none. */
    abstract Optional<Long> fence();

    /** A leader of {@code epoch} claimed the fence. */
    abstract void fence(long epoch);

    /** What waits in the queue, oldest first. */
    abstract List<String> waiting();

    @Test
    void aClaimSetsTheFenceAndRefusesAnOlderEpoch() {
        redeliveries().claim(lease(5));
        assertThat(fence()).contains(5L);

        assertThatThrownBy(() -> redeliveries().claim(lease(4))).isInstanceOf(LeaseLostException.class);
        assertThat(fence()).contains(5L);

        redeliveries().claim(lease(6));
        assertThat(fence()).as("a newer leader takes it").contains(6L);
    }

    @Test
    void theFenceHolderTakesCommandsInTheOrderTheyCame() {
        redeliveries().claim(lease(2));
        queue(redeliver(3));
        queue(redeliver(5));

        assertThat(redeliveries().next(lease(2))).contains(new OperatorCommand(Action.REDELIVER, 3));
        assertThat(redeliveries().next(lease(2))).contains(new OperatorCommand(Action.REDELIVER, 5));
        assertThat(redeliveries().next(lease(2))).isEmpty();
    }

    @Test
    void aStaleLeaderNeitherTakesNorDropsACommand() {
        fence(3);
        queue(redeliver(1));

        assertThatThrownBy(() -> redeliveries().next(lease(2))).isInstanceOf(LeaseLostException.class);

        assertThat(waiting()).containsExactly(redeliver(1));
    }

    @Test
    void aFenceTheStoreLostIsClaimedAgainAndTheCommandTaken() {
        queue(redeliver(1));

        assertThat(redeliveries().next(lease(1))).contains(new OperatorCommand(Action.REDELIVER, 1));

        assertThat(fence()).contains(1L);
    }

    @Test
    void entriesThatAreNoCommandsAreDroppedOnTheWay() {
        redeliveries().claim(lease(1));
        queue("not a command");
        queue(redeliver(4));

        assertThat(redeliveries().next(lease(1))).contains(new OperatorCommand(Action.REDELIVER, 4));
        assertThat(waiting()).isEmpty();
    }

    @Test
    void aCommandPutBackIsTakenFirst() {
        redeliveries().claim(lease(1));
        queue(redeliver(5));

        redeliveries().putBack(new Incarnation(destination, 1), new OperatorCommand(Action.REDELIVER, 3));

        assertThat(redeliveries().next(lease(1))).contains(new OperatorCommand(Action.REDELIVER, 3));
        assertThat(redeliveries().next(lease(1))).contains(new OperatorCommand(Action.REDELIVER, 5));
    }

    @Test
    void pendingSaysWhetherCommandsWait() {
        assertThat(redeliveries().pending(new Incarnation(destination, 1))).isFalse();

        queue(redeliver(2));

        assertThat(redeliveries().pending(new Incarnation(destination, 1))).isTrue();
    }

    @Test
    void nothingIsTakenOnceTheTermEnded() {
        redeliveries().claim(lease(1));
        queue(redeliver(1));
        Lease lease = lease(1);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());

        assertThatThrownBy(() -> redeliveries().next(lease)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> redeliveries().claim(lease)).isInstanceOf(LeaseLostException.class);
        assertThat(waiting()).containsExactly(redeliver(1));
    }

    private static String redeliver(long sequence) {
        return new OperatorCommand(Action.REDELIVER, sequence).encode();
    }

    private Lease lease(long epoch) {
        LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
        term.renewed(term.now());
        return new Lease(destination, 1, LeaseRole.EGRESS, epoch, 0, term);
    }
}
